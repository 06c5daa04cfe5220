"""Navigation by role: each person sees the entries their roles can use."""

from django.urls import reverse
from django.utils.translation import gettext as _

from organizations.choices import Role

from .scope import scope_of

# Roles that do the promotion work and read its ledgers (everyone but the two administrators
# and department staff, who answer problems rather than court investors).
OUTREACH_ROLES = (Role.OFFICE_STAFF, Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.COUNTY_STAFF, Role.LEADER)
WRITER_ROLES = (Role.OFFICE_STAFF, Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.COUNTY_STAFF)
# Who reports leads and imports 《收集线索台账》: the teams, squads, counties and zones (the office assesses them).
LEAD_WRITER_ROLES = (Role.TEAM_LEADER, Role.TEAM_MEMBER, Role.COUNTY_STAFF)


def _item(label, url_name, icon, children=None):
    return (label, reverse(url_name) if url_name else "#", icon, children or [])


def _lead_entries(scope):
    """The 线索 menu: the office's queue, a county's incoming leads, a team's own, all, the ledger import, and
    the office's settings (rule, pools, negative lists)."""
    entries = []
    if scope.has(Role.OFFICE_STAFF):
        entries.append((_("研判队列"), reverse("leads:assessment_queue"), "inbox"))
    if scope.has(Role.COUNTY_STAFF):
        entries.append((_("待接收线索"), reverse("leads:incoming"), "box-arrow-in-down"))
    if scope.has(*LEAD_WRITER_ROLES):
        entries.append((_("报送线索"), reverse("leads:lead_create"), "plus-circle"))
        entries.append((_("本组线索"), reverse("leads:team_leads"), "people"))
    entries.append((_("全部线索"), reverse("leads:lead_list"), "list-ul"))
    if scope.has(*LEAD_WRITER_ROLES):
        entries.append((_("导入线索台账"), reverse("core:import_upload", args=["leads"]), "upload"))
    if scope.has(Role.OFFICE_STAFF):
        entries.append((_("线索规则与设置"), reverse("leads:settings"), "gear"))
    return entries


# Who works projects (domain.md §7): the office, counties and zones, leaders, verifiers, departments.
PROJECT_ROLES = (Role.OFFICE_STAFF, Role.COUNTY_STAFF, Role.LEADER, Role.VERIFIER, Role.DEPARTMENT_STAFF)


def _project_entries(scope):
    """The 项目 menu: all projects, a new one, the verifier's queue, the dispatch, the library, the rounds and the
    office's counting rules."""
    entries = [(_("全部项目"), reverse("projects:project_list"), "list-ul")]
    if scope.has(Role.OFFICE_STAFF, Role.COUNTY_STAFF):
        entries.append((_("新建项目"), reverse("projects:project_create"), "plus-circle"))
    if scope.has(Role.VERIFIER):
        entries.append((_("待核验"), reverse("projects:verify_queue"), "patch-check"))
    entries.append((_("月度调度"), reverse("projects:dispatch"), "calendar-check"))
    entries.append((_("项目库"), reverse("projects:library"), "archive"))
    entries.append((_("三个一批"), reverse("projects:round_list"), "collection"))
    if scope.has(Role.OFFICE_STAFF):
        entries.append((_("统计口径"), reverse("projects:settings"), "gear"))
    return entries


# Who uses the service to investors (问题诉求, meetings): the office, counties, departments, leaders, the teams.
SERVICE_ROLES = (
    Role.OFFICE_STAFF,
    Role.COUNTY_STAFF,
    Role.DEPARTMENT_STAFF,
    Role.LEADER,
    Role.TEAM_LEADER,
    Role.TEAM_MEMBER,
)


def _service_entries(scope):
    """The 企业服务 menu: problems, a department's inbox, supervision, meetings, figures, the office's categories."""
    entries = [(_("问题诉求"), reverse("service:problem_list"), "chat-square-text")]
    if scope.has(Role.DEPARTMENT_STAFF):
        entries.append((_("本部门待办"), reverse("service:inbox"), "inbox"))
    if scope.has(Role.OFFICE_STAFF, Role.LEADER):
        entries.append((_("督办"), reverse("service:supervision"), "exclamation-triangle"))
    entries.append((_("会议"), reverse("service:meeting_list"), "people"))
    entries.append((_("统计"), reverse("service:figures"), "bar-chart"))
    if scope.has(Role.OFFICE_STAFF):
        entries.append((_("问题类别"), reverse("service:categories"), "tags"))
    return entries


def _report_entries(scope):
    """The teams' weekly and monthly reports (一周一专报、一月一总结) and the office's 未报清单."""
    from reports.choices import READER_ROLES as REPORT_READERS
    from reports.choices import USER_ROLES as REPORT_USERS

    entries = []
    if scope.has(*REPORT_USERS):
        entries.append((_("工作报告"), reverse("reports:report_list"), "file-earmark-text"))
    if scope.has(*REPORT_READERS):
        entries.append((_("报告未报清单"), reverse("reports:missing"), "exclamation-diamond"))
    return entries


def _target_entries(scope):
    """The 目标任务 menu: the city's progress (office and leaders), one's own unit's, all targets, the templates."""
    from targets.models import READER_ROLES

    entries = []
    if scope.has(*READER_ROLES):
        entries.append((_("目标进度（全市）"), reverse("targets:city_progress"), "bar-chart-line"))
    entries.append((_("本单位进度"), reverse("targets:unit_progress"), "bar-chart-steps"))
    entries.append((_("全部目标"), reverse("targets:target_list"), "bullseye"))
    entries += _report_entries(scope)
    entries.append((_("考核排名"), reverse("assessment:scheme_list"), "trophy"))
    entries.append((_("月度通报"), reverse("bulletins:bulletin_list"), "file-earmark-text"))
    if scope.has(Role.OFFICE_STAFF):
        entries.append((_("按模板设定"), reverse("targets:apply_template"), "grid-3x3"))
    return entries


def _reminder_entries(scope):
    """The 提醒 menu: one's own notifications; the channels for the office and system administrators."""
    entries = [(_("我的提醒"), reverse("reminders:notification_list"), "bell")]
    if scope.has(Role.OFFICE_STAFF, Role.SYSTEM_ADMIN):
        entries.append((_("提醒渠道"), reverse("reminders:channel_list"), "broadcast"))
    return entries


# Who reads the dashboards (领导驾驶舱) from the menu: leaders, the office, counties and zones.
DASHBOARD_ROLES = (Role.LEADER, Role.OFFICE_STAFF, Role.COUNTY_STAFF)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = scope_of(user)
    items = [_item(_("首页"), "core:home", "house")]
    if scope.has(*DASHBOARD_ROLES):
        items.append(_item(_("领导驾驶舱"), "dashboards:dashboard", "speedometer2"))
    if scope.has(*OUTREACH_ROLES):
        ledgers = [
            (_("走访"), reverse("outreach:visit_list"), "person-walking"),
            (_("考察"), reverse("outreach:inspection_list"), "binoculars"),
            (_("推介会"), reverse("outreach:event_list"), "megaphone"),
            (_("外出招商"), reverse("outreach:trip_list"), "airplane"),
            (_("驻点记录"), reverse("outreach:stationing_list"), "geo-alt"),
        ]
        if scope.has(*WRITER_ROLES):
            ledgers.insert(0, (_("登记走访"), reverse("outreach:visit_create"), "plus-circle"))
            ledgers.append((_("导入走访台账"), reverse("core:import_upload", args=["visits"]), "upload"))
            ledgers.append((_("导入考察台账"), reverse("core:import_upload", args=["inspections"]), "upload"))
        items.append(_item(_("招商台账"), None, "journal-text", ledgers))
        items.append(_item(_("线索"), None, "lightbulb", _lead_entries(scope)))
        items.append(_item(_("目标企业库"), "enterprises:company_list", "buildings"))
        chains = [
            (_("产业集群与产业链"), reverse("chains:chain_list"), "diagram-2"),
            (_("“六个一”总览"), reverse("chains:promotion_list"), "grid-3x2-gap"),
        ]
        items.append(_item(_("产业链"), None, "diagram-2", chains))
    if scope.has(*PROJECT_ROLES):
        items.append(_item(_("项目"), None, "building-gear", _project_entries(scope)))
    if scope.has(*SERVICE_ROLES):
        items.append(_item(_("企业服务"), None, "headset", _service_entries(scope)))
    if scope.by_role:
        items.append(_item(_("目标任务"), None, "bullseye", _target_entries(scope)))
        items.append(_item(_("提醒"), None, "bell", _reminder_entries(scope)))
    if scope.by_role and not scope.has(Role.AUDIT_ADMIN) or scope.has(Role.SYSTEM_ADMIN):
        items.append(_item(_("组织架构"), "organizations:unit_tree", "diagram-3"))
        items.append(_item(_("人员"), "organizations:person_list", "people"))
    if scope.has(Role.AUDIT_ADMIN):
        items.append(_item(_("组织架构"), "organizations:unit_tree", "diagram-3"))
        items.append(_item(_("审计日志"), "core:audit_list", "journal-check"))
    items.append(_item(_("接口文档"), "api-docs", "code-square"))
    return {"nav_items": items, "user_roles": sorted(scope.roles)}
