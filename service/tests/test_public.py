"""The public complaint line (接诉即办): a company files, follows, accepts or reopens its complaint without
logging in; the pages resist spam without a captcha, refuse hostile input, and show nothing of the system."""

import re
import time

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.models import Attachment
from service import services
from service.choices import EscalationReason, ProblemStatus, Satisfaction
from service.models import Problem
from service.public import make_stamp

FILE_URL = "/complaint/"
STATUS_URL = "/complaint/status/"
PHONE = "13903591234"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def fresh_counts():
    """The rate limit counts in the cache, which outlives a test: each test starts from nothing."""
    cache.clear()
    yield
    cache.clear()


def form_data(category, **overrides):
    data = {
        "company_name": "运城市恒盛包装材料有限公司",
        "contact_name": "李先生",
        "contact_phone": PHONE,
        "category": str(category.pk),
        "description": "办理消防验收时多次往返，各窗口要求的材料不一致，耽误了投产时间。",
        "remark": "",
        # Shown ten seconds ago: a person's pace.
        "stamp": make_stamp(time.time() - 10),
    }
    data.update(overrides)
    return data


def file_one(client, category, **overrides):
    return client.post(FILE_URL, form_data(category, **overrides))


def without_tokens(html):
    """A page with its CSRF tokens blanked (they differ on every render by design)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def links_on(html):
    return set(re.findall(r'href="([^"]*)"', html)) | set(re.findall(r'action="([^"]*)"', html))


@pytest.fixture
def env(category):
    return category["environment"]


@pytest.fixture
def solved_complaint(org, env):
    """A complaint the department answered and solved, awaiting the company's word."""
    complaint = services.submit_complaint(
        owner=org.city,
        company_name="运城市恒盛包装材料有限公司",
        contact_name="李先生",
        contact_phone=PHONE,
        category=env,
        description="办理消防验收时多次往返，各窗口要求的材料不一致。",
    )
    services.assign_problem(actor=org["office"], problem=complaint, departments=[org.department])
    services.answer_problem(
        actor=org["department"],
        problem=complaint,
        answer="已与企业约定时间现场验收，材料清单一次性告知。",
        solved=True,
    )
    complaint.refresh_from_db()
    return complaint


# --- Filing ----------------------------------------------------------------------------------------


def test_a_company_files_a_complaint_without_logging_in_and_gets_its_number(org, env, client):
    page = client.get(FILE_URL)
    assert page.status_code == 200
    html = page.content.decode()
    assert "运城市营商环境投诉" in html  # the city is named in the heading
    assert "营商环境" in html and 'name="stamp"' in html and 'name="remark"' in html

    photo = SimpleUploadedFile("现场.jpg", JPEG + b"\x00" * 100, content_type="image/jpeg")
    scan = SimpleUploadedFile("回执.pdf", PDF, content_type="application/pdf")
    response = client.post(FILE_URL, {**form_data(env), "files": [photo, scan]})
    assert response.status_code == 302 and response["Location"] == reverse("complaint:done")

    complaint = Problem.objects.get()
    assert complaint.is_complaint and complaint.owner == org.city and complaint.number.startswith("TS")
    assert complaint.contact_phone == PHONE and complaint.category == env
    assert complaint.attachments.count() == 2
    done = client.get(reverse("complaint:done"))
    text = done.content.decode()
    assert complaint.number in text and "联系电话" in text and "保存" in text
    # Shown once: a reload of the page does not show it again (nor file anything twice).
    assert client.get(reverse("complaint:done")).status_code == 302
    assert Problem.objects.count() == 1


def test_the_city_is_chosen_by_its_code_and_only_its_categories_are_offered(org, client):
    services.categories_for(org.city)
    other = {c.code: c for c in services.categories_for(org.other_city)}
    page = client.get(FILE_URL, {"city": "LF"}).content.decode()
    assert "临汾市营商环境投诉" in page and 'name="city"' in page
    assert f'value="{other["land"].pk}"' in page
    yuncheng_land = next(c for c in services.categories_for(org.city) if c.code == "land")
    assert f'value="{yuncheng_land.pk}"' not in page
    # A 运城 category posted to 临汾's form is refused; 临汾's is accepted, for 临汾.
    refused = client.post(f"{FILE_URL}?city=LF", form_data(yuncheng_land))
    assert refused.status_code == 200 and not Problem.objects.exists()
    accepted = client.post(f"{FILE_URL}?city=LF", form_data(other["land"]))
    assert accepted.status_code == 302 and Problem.objects.get().owner == org.other_city


def test_with_one_city_there_is_no_city_choice(org, client):
    org.other_city.active = False
    org.other_city.save()
    page = client.get(FILE_URL).content.decode()
    assert "运城市营商环境投诉" in page and 'name="city"' not in page


def test_missing_and_bad_fields_are_named_and_nothing_is_written(org, env, client):
    response = file_one(client, env, contact_name="", contact_phone="12", description="太短")
    assert response.status_code == 200
    assert not Problem.objects.exists()
    html = response.content.decode()
    # Each bad field carries its own message, next to it.
    assert "请填写联系人" in html and "至少 10 个字" in html


def test_a_script_in_the_description_is_kept_as_text_and_shown_escaped(org, env, client):
    hostile = '<script>alert("x")</script> 审批窗口态度恶劣，多次刁难企业办事人员。'
    # Shown again (another field is missing): escaped, never live.
    again = file_one(client, env, description=hostile, contact_name="")
    html = again.content.decode()
    assert '<script>alert("x")</script>' not in html and "&lt;script&gt;" in html
    # Filed: stored as the text the company typed.
    assert file_one(client, env, description=hostile, company_name="<b>某公司</b>").status_code == 302
    complaint = Problem.objects.get()
    assert complaint.description == hostile
    # The department answers with the same kind of text: the company's page shows it escaped.
    services.assign_problem(actor=org["office"], problem=complaint, departments=[org.department])
    services.answer_problem(
        actor=org["department"], problem=complaint, answer="<script>x()</script>已办结", solved=True
    )
    page = client.post(STATUS_URL, {"number": complaint.number, "phone": PHONE}).content.decode()
    assert "<script>x()</script>" not in page and "&lt;script&gt;x()&lt;/script&gt;已办结" in page


def test_a_20_mb_photo_is_refused_with_a_clear_message_and_nothing_is_written(org, env, client, media_root):
    big = SimpleUploadedFile("厂房.jpg", JPEG + b"\x00" * (20 * 1024 * 1024 - len(JPEG)), content_type="image/jpeg")
    response = client.post(FILE_URL, {**form_data(env), "files": [big]})
    assert response.status_code == 200
    assert "超过 10 MB" in response.content.decode()
    assert not Problem.objects.exists() and not Attachment.objects.exists()
    assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


def test_a_file_that_is_not_what_its_name_says_or_too_many_files_are_refused(org, env, client):
    fake = SimpleUploadedFile("照片.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    response = client.post(FILE_URL, {**form_data(env), "files": [fake]})
    assert "内容与扩展名不符" in response.content.decode()
    exe = SimpleUploadedFile("说明.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    assert "只能上传照片" in client.post(FILE_URL, {**form_data(env), "files": [exe]}).content.decode()
    four = [SimpleUploadedFile(f"{i}.pdf", PDF, content_type="application/pdf") for i in range(4)]
    assert "最多上传 3 个文件" in client.post(FILE_URL, {**form_data(env), "files": four}).content.decode()
    assert not Problem.objects.exists() and not Attachment.objects.exists()


# --- Spam resistance -------------------------------------------------------------------------------


def test_a_filled_honeypot_looks_accepted_but_nothing_is_kept(org, env, client):
    response = file_one(client, env, remark="http://spam.example/")
    assert response.status_code == 302 and response["Location"] == reverse("complaint:done")
    assert not Problem.objects.exists()
    done = client.get(reverse("complaint:done")).content.decode()
    assert "已收到" in done


def test_a_post_sooner_than_a_person_could_type_is_refused(org, env, client):
    response = file_one(client, env, stamp=make_stamp())
    assert response.status_code == 200 and "提交过快" in response.content.decode()
    assert not Problem.objects.exists()


def test_a_forged_or_missing_stamp_asks_to_resubmit(org, env, client):
    for stamp in ("", "forged:stamp", make_stamp(time.time() - 7 * 3600)):
        response = file_one(client, env, stamp=stamp)
        assert response.status_code == 200 and "页面已过期" in response.content.decode()
    assert not Problem.objects.exists()


def test_submissions_past_the_hourly_limit_get_a_429(org, env, client, settings):
    settings.ZS_COMPLAINT_PER_HOUR = 2
    assert file_one(client, env).status_code == 302
    assert file_one(client, env).status_code == 302
    response = file_one(client, env)
    assert response.status_code == 429 and "操作过于频繁" in response.content.decode()
    assert Problem.objects.count() == 2
    # Counted per address: another address may still file.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert other.post(FILE_URL, form_data(env)).status_code == 302


def test_lookups_past_the_hourly_limit_get_a_429(org, solved_complaint, client, settings):
    settings.ZS_COMPLAINT_LOOKUPS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(STATUS_URL, {"number": "TS2023-00001X", "phone": PHONE}).status_code == 200
    # Even the right number and phone: the limit holds against guessing.
    response = client.post(STATUS_URL, {"number": solved_complaint.number, "phone": PHONE})
    assert response.status_code == 429 and response.has_header("Retry-After")


def test_csrf_stays_on_for_the_public_form(org, env):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(FILE_URL, form_data(env)).status_code == 403
    assert not Problem.objects.exists()


# --- Following a complaint -------------------------------------------------------------------------


def test_the_company_tracks_its_complaint_and_sees_only_its_own_figures(org, solved_complaint, client):
    response = client.post(STATUS_URL, {"number": solved_complaint.number.lower(), "phone": "139-0359-1234"})
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert solved_complaint.number in html and "营商环境" in html
    assert str(ProblemStatus.SOLVED.label) in html
    assert str(solved_complaint.raised_on) in html and str(solved_complaint.due_on) in html
    assert "已与企业约定时间现场验收" in html
    assert 'data-testid="accept-form"' in html and 'data-testid="reopen-form"' in html


def test_the_answer_is_not_shown_before_the_complaint_is_solved(org, env, client):
    complaint = services.submit_complaint(
        owner=org.city,
        company_name="某公司",
        contact_name="王女士",
        contact_phone=PHONE,
        category=env,
        description="企业开办时多个部门重复要求提交同一份材料。",
    )
    html = client.post(STATUS_URL, {"number": complaint.number, "phone": PHONE}).content.decode()
    assert str(ProblemStatus.RAISED.label) in html and "交办后确定" in html
    assert 'data-testid="complaint-answer"' not in html and 'data-testid="accept-form"' not in html


def test_the_company_accepts_the_answer_with_a_grade(org, solved_complaint, client):
    response = client.post(
        STATUS_URL,
        {"action": "accept", "number": solved_complaint.number, "phone": PHONE, "satisfaction": "4"},
    )
    assert "已确认办结" in response.content.decode()
    solved_complaint.refresh_from_db()
    assert solved_complaint.status == ProblemStatus.CLOSED and solved_complaint.satisfaction == Satisfaction.SATISFIED
    # Once closed there is nothing more to answer.
    again = client.post(STATUS_URL, {"number": solved_complaint.number, "phone": PHONE}).content.decode()
    assert 'data-testid="accept-form"' not in again


def test_the_company_reopens_the_complaint_with_a_reason_and_it_goes_to_supervision(org, solved_complaint, client):
    empty = client.post(STATUS_URL, {"action": "reopen", "number": solved_complaint.number, "phone": PHONE})
    assert "请说明退回重办的原因" in empty.content.decode()
    solved_complaint.refresh_from_db()
    assert solved_complaint.status == ProblemStatus.SOLVED
    response = client.post(
        STATUS_URL,
        {"action": "reopen", "number": solved_complaint.number, "phone": PHONE, "reason": "验收时间仍未确定。"},
    )
    assert "已退回重办" in response.content.decode()
    solved_complaint.refresh_from_db()
    assert solved_complaint.status == ProblemStatus.REOPENED and solved_complaint.reopen_count == 1
    assert solved_complaint.escalated == EscalationReason.REOPENED


def test_a_wrong_phone_and_a_wrong_number_get_the_same_answer(org, solved_complaint, client):
    wrong_phone = client.post(STATUS_URL, {"number": solved_complaint.number, "phone": "13900000000"})
    wrong_number = client.post(STATUS_URL, {"number": "TS2023-00077Q", "phone": PHONE})
    both = client.post(STATUS_URL, {"number": "nonsense", "phone": "1"})
    pages = [without_tokens(r.content.decode()) for r in (wrong_phone, wrong_number, both)]
    assert {r.status_code for r in (wrong_phone, wrong_number, both)} == {200}
    assert "编号或联系电话不正确" in pages[0]
    assert pages[0] == pages[1] == pages[2]
    # Nor can the accept form be used with a wrong phone.
    client.post(
        STATUS_URL, {"action": "accept", "number": solved_complaint.number, "phone": "13900000000", "satisfaction": 5}
    )
    solved_complaint.refresh_from_db()
    assert solved_complaint.status == ProblemStatus.SOLVED


def test_the_public_pages_show_nothing_internal(org, solved_complaint, raise_one, client):
    other = raise_one(title="扩大厂房用地")
    second = services.submit_complaint(
        owner=org.city,
        company_name="另一家企业",
        contact_name="赵先生",
        contact_phone="13700001111",
        category=solved_complaint.category,
        description="另一家企业反映的办事难问题，内容不应被他人看到。",
    )
    pages = [
        client.get(FILE_URL).content.decode(),
        client.get(STATUS_URL).content.decode(),
        client.post(STATUS_URL, {"number": solved_complaint.number, "phone": PHONE}).content.decode(),
    ]
    file_one(client, solved_complaint.category)
    pages.append(client.get(reverse("complaint:done")).content.decode())
    secrets_ = [
        other.number,
        other.title,
        second.number,
        second.description,
        "另一家企业",
        org.department.name,
        org["department"].name,
        org["office"].name,
        "招商中心",
        "盐湖区",
        solved_complaint.description,  # not even the company's own text is echoed
    ]
    for html in pages:
        for secret in secrets_:
            assert secret not in html
        for link in links_on(html):
            assert link.startswith(("/complaint/", "/static/")), link
        assert "navbar" not in html and "logout" not in html


def test_a_signed_in_person_sees_the_same_bare_page(org, client):
    from core.testing import login_as

    login_as(client, org["office"])
    html = client.get(FILE_URL).content.decode()
    assert "navbar" not in html and org["office"].name not in html
