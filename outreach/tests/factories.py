"""Small builders for outreach tests: records go in through the services, as users would put them."""

import datetime
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

from enterprises.models import Company
from enterprises.services import create_company
from outreach import services

TODAY = datetime.date.today()


def tiny_png():
    """A valid 1×1 red PNG, built here rather than kept as a binary file."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def png_upload(name="photo.png"):
    return SimpleUploadedFile(name, tiny_png(), content_type="image/png")


def company(org, name, actor=None, owner=None):
    """A company in a city's directory, entered by someone who may write there."""
    actor = actor or org["team_member"]
    return create_company(actor=actor, owner=owner, name=name)


def other_city_company(org, name="临汾焦化集团"):
    return create_company(actor=org["outsider"], name=name)


def visit(org, persona="team_member", *, company_name="宁德时代新能源科技股份有限公司", content="洽谈电池项目", **kw):
    actor = org[persona] if isinstance(persona, str) else persona
    kw.setdefault("visit_date", TODAY)
    return services.create_visit(actor=actor, company_name=company_name, content=content, **kw)


def inspection(org, persona="team_member", *, company_name="比亚迪股份有限公司", **kw):
    actor = org[persona] if isinstance(persona, str) else persona
    kw.setdefault("inspection_date", TODAY)
    return services.create_inspection(actor=actor, company_name=company_name, **kw)


def event(org, persona="team_member", *, title="北京专场推介会", **kw):
    actor = org[persona] if isinstance(persona, str) else persona
    kw.setdefault("event_date", TODAY)
    kw.setdefault("place", "北京国际饭店")
    return services.create_event(actor=actor, title=title, **kw)


def trip(org, persona="county", *, destinations="深圳", **kw):
    actor = org[persona] if isinstance(persona, str) else persona
    kw.setdefault("start_date", TODAY - datetime.timedelta(days=3))
    kw.setdefault("end_date", TODAY)
    return services.create_trip(actor=actor, destinations=destinations, **kw)


def stationing(org, persona="team_leader", *, person=None, start, end, place="北京", **kw):
    actor = org[persona] if isinstance(persona, str) else persona
    return services.create_stationing(
        actor=actor, person=person or actor, start_date=start, end_date=end, place=place, **kw
    )


def company_named(name):
    return Company.objects.get(name=name)
