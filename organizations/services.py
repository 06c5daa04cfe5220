"""Every change to the organisation tree, people and roles.

Each service is one transaction, checks the actor's right to make the change inside it,
and writes its own audit record. Pages and the API call these and nothing else.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditAction
from core.registry import open_work_for
from core.scope import forget_scope, scope_of

from .choices import ALLOWED_PARENT_KINDS, ROLE_UNIT_KINDS, Role, TargetRegion, UnitKind
from .models import Membership, Unit, User

UNIT_AUDIT_FIELDS = ("code", "name", "kind", "parent", "active", "sort_order", "base_city", "target_regions", "focus")
PERSON_AUDIT_FIELDS = ("username", "name", "phone", "title", "email", "home_unit", "is_active")
TEAM_ONLY_FIELDS = ("base_city", "target_regions", "focus")


def _require_admin_of(actor, unit, message=None):
    """The actor must be a system administrator of `unit` (or of a unit above it)."""
    if unit is None or not Unit.objects.editable_by(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied(message or _("您无权管理该单位。"))


def _check_parent(kind, parent):
    allowed = ALLOWED_PARENT_KINDS[UnitKind(kind)]
    parent_kind = parent.kind if parent is not None else None
    if parent_kind not in allowed:
        if parent is None:
            raise ValidationError({"parent": _("该类型的单位必须有上级单位。")})
        raise ValidationError(
            {
                "parent": _("“%(kind)s”不能设在“%(parent_kind)s”之下。")
                % {"kind": str(UnitKind(kind).label), "parent_kind": str(UnitKind(parent.kind).label)}
            }
        )
    if parent is not None and not parent.active:
        raise ValidationError({"parent": _("上级单位“%(name)s”已停用。") % {"name": parent.name}})


def _clean_regions(target_regions):
    valid = set(TargetRegion.values)
    regions = list(dict.fromkeys(target_regions or []))
    bad = [r for r in regions if r not in valid]
    if bad:
        raise ValidationError({"target_regions": _("无效的目标区域：%(v)s") % {"v": "、".join(bad)}})
    return regions


def _validate_unit(unit):
    if not unit.is_team:
        for name in TEAM_ONLY_FIELDS:
            if getattr(unit, name):
                raise ValidationError({name: _("只有驻点招商组和小分队才有驻点城市、目标区域和重点方向。")})
    if Unit.objects.filter(code__iexact=unit.code).exclude(pk=unit.pk).exists():
        raise ValidationError({"code": _("编码“%(code)s”已被其他单位使用。") % {"code": unit.code}})
    unit.full_clean(exclude=["parent", "code"] if unit.pk else ["parent"], validate_unique=False)


def _set_path(unit):
    prefix = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{prefix}{unit.pk}/"
    unit.depth = unit.path.count("/") - 2


@transaction.atomic
def create_unit(
    *, actor, code, name, kind, parent=None, base_city="", target_regions=(), focus="", sort_order=0, active=True
):
    """Add a unit under `parent`; only a system administrator of the parent may."""
    if parent is None:
        if not actor.is_superuser:
            raise PermissionDenied(_("只有超级管理员可以建立根单位。"))
    else:
        parent = Unit.objects.select_for_update().get(pk=parent.pk)
        _require_admin_of(actor, parent, _("您无权在该单位下新建单位。"))
    unit = Unit(
        code=(code or "").strip(),
        name=(name or "").strip(),
        kind=kind,
        parent=parent,
        base_city=(base_city or "").strip(),
        target_regions=_clean_regions(target_regions),
        focus=(focus or "").strip(),
        sort_order=sort_order or 0,
        active=active,
    )
    if kind not in UnitKind.values:
        raise ValidationError({"kind": _("无效的单位类型。")})
    _check_parent(kind, parent)
    _validate_unit(unit)
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path", "depth"])
    audit.record(action=AuditAction.CREATE, actor=actor, obj=unit, after=audit.snapshot(unit, UNIT_AUDIT_FIELDS))
    return unit


@transaction.atomic
def update_unit(*, actor, unit, **changes):
    """Change a unit's code, name, order and (for teams) base city, regions and focus.

    Kind and place in the tree change only through `move_unit`, never here.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require_admin_of(actor, unit)
    editable = {"code", "name", "sort_order", "base_city", "target_regions", "focus"}
    unknown = set(changes) - editable
    if unknown:
        raise ValidationError(_("这些字段不能在此修改：%(f)s") % {"f": "、".join(sorted(unknown))})
    before = audit.snapshot(unit, UNIT_AUDIT_FIELDS)
    for field, raw in changes.items():
        if field == "target_regions":
            value = _clean_regions(raw)
        else:
            value = raw.strip() if isinstance(raw, str) else raw
        setattr(unit, field, value)
    _validate_unit(unit)
    unit.save()
    audit.record_update(actor=actor, obj=unit, fields=UNIT_AUDIT_FIELDS, before=before)
    return unit


@transaction.atomic
def move_unit(*, actor, unit, new_parent):
    """Put a unit (and everything under it) under another parent."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require_admin_of(actor, unit)
    if new_parent is None:
        raise ValidationError({"parent": _("请选择新的上级单位。")})
    new_parent = Unit.objects.select_for_update().get(pk=new_parent.pk)
    _require_admin_of(actor, new_parent, _("您无权把单位移到该上级单位之下。"))
    if new_parent.pk == unit.pk or new_parent.path.startswith(unit.path):
        raise ValidationError({"parent": _("不能把单位移到它自己或它的下级单位之下。")})
    if new_parent.pk == unit.parent_id:
        raise ValidationError({"parent": _("新的上级单位与原上级单位相同。")})
    _check_parent(unit.kind, new_parent)
    old_path, old_parent_id = unit.path, unit.parent_id
    unit.parent = new_parent
    _set_path(unit)
    new_path = unit.path
    unit.save(update_fields=["parent", "path", "depth", "updated_at"])
    # Rewrite every descendant's path prefix in one statement.
    descendants = Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk)
    descendants.update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + (new_path.count("/") - old_path.count("/")),
    )
    audit.record(
        action=AuditAction.MOVE,
        actor=actor,
        obj=unit,
        before={"parent": old_parent_id, "path": old_path},
        after={"parent": new_parent.pk, "path": new_path},
    )
    return unit


def active_people_in(unit):
    return User.objects.filter(is_active=True, memberships__unit=unit, memberships__active=True).distinct()


@transaction.atomic
def deactivate_unit(*, actor, unit, reason=""):
    """Deactivate a unit that has no active sub-units, people or open work."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require_admin_of(actor, unit)
    if not unit.active:
        raise ValidationError(_("该单位已经停用。"))
    problems = []
    children = unit.children.filter(active=True).count()
    if children:
        problems.append(_("还有 %(n)d 个启用的下级单位") % {"n": children})
    people = active_people_in(unit).count()
    if people:
        problems.append(_("还有 %(n)d 名在岗人员") % {"n": people})
    problems.extend(open_work_for(unit))
    if problems:
        raise ValidationError(_("不能停用“%(name)s”：%(why)s。") % {"name": unit.name, "why": "；".join(problems)})
    unit.active = False
    unit.save(update_fields=["active", "updated_at"])
    audit.record(
        action=AuditAction.DEACTIVATE,
        actor=actor,
        obj=unit,
        before={"active": True},
        after={"active": False},
        message=reason,
    )
    return unit


@transaction.atomic
def activate_unit(*, actor, unit):
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    _require_admin_of(actor, unit)
    if unit.active:
        raise ValidationError(_("该单位已经启用。"))
    if unit.parent_id and not unit.parent.active:
        raise ValidationError(_("上级单位已停用，请先启用上级单位。"))
    unit.active = True
    unit.save(update_fields=["active", "updated_at"])
    audit.record(action=AuditAction.ACTIVATE, actor=actor, obj=unit, before={"active": False}, after={"active": True})
    return unit


# --- People ---------------------------------------------------------------------------


def _check_role(unit, role, user=None):
    if role not in Role.values:
        raise ValidationError({"role": _("无效的角色。")})
    if unit.kind not in ROLE_UNIT_KINDS[Role(role)]:
        kinds = "、".join(str(UnitKind(k).label) for k in sorted(ROLE_UNIT_KINDS[Role(role)]))
        raise ValidationError(
            {
                "role": _("“%(role)s”不能在“%(kind)s”类单位任职，只能在：%(kinds)s。")
                % {"role": str(Role(role).label), "kind": str(UnitKind(unit.kind).label), "kinds": kinds}
            }
        )
    if not unit.active:
        raise ValidationError({"unit": _("单位“%(name)s”已停用。") % {"name": unit.name}})
    if user is not None and user.pk:
        # Separation of duties (三员分立): the system and audit administrators are never one person.
        conflicting = {Role.SYSTEM_ADMIN: Role.AUDIT_ADMIN, Role.AUDIT_ADMIN: Role.SYSTEM_ADMIN}.get(role)
        if conflicting and user.memberships.filter(role=conflicting, active=True).exists():
            raise ValidationError({"role": _("系统管理员与审计管理员不能由同一人担任。")})


def _validate_password(password, user):
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def _validate_person(person):
    username_taken = User.objects.filter(username__iexact=person.username).exclude(pk=person.pk).exists()
    if username_taken:
        raise ValidationError({"username": _("用户名“%(u)s”已被使用。") % {"u": person.username}})
    if not person.name:
        raise ValidationError({"name": _("请填写姓名。")})
    person.full_clean(exclude=["password", "username"], validate_unique=False)


@transaction.atomic
def create_person(
    *, actor, username, name, password, home_unit, role=None, phone="", title="", email="", is_demo=False
):
    """Add a person to a unit, with an initial password they must change at first login."""
    if home_unit is None:
        raise ValidationError({"home_unit": _("请选择所属单位。")})
    home_unit = Unit.objects.select_for_update().get(pk=home_unit.pk)
    _require_admin_of(actor, home_unit, _("您无权在该单位添加人员。"))
    person = User(
        username=(username or "").strip(),
        name=(name or "").strip(),
        phone=(phone or "").strip(),
        title=(title or "").strip(),
        email=(email or "").strip(),
        home_unit=home_unit,
        must_change_password=not is_demo,
        is_demo=is_demo,
    )
    if not person.username:
        raise ValidationError({"username": _("请填写用户名。")})
    _validate_person(person)
    if role:
        _check_role(home_unit, role)
    _validate_password(password, person)
    person.set_password(password)
    person.save()
    audit.record(action=AuditAction.CREATE, actor=actor, obj=person, after=audit.snapshot(person, PERSON_AUDIT_FIELDS))
    if role:
        _add_membership(actor=actor, person=person, unit=home_unit, role=role)
    return person


@transaction.atomic
def update_person(*, actor, person, **changes):
    """Change a person's name, contact details, title or home unit."""
    person = User.objects.select_for_update().get(pk=person.pk)
    _require_admin_of(actor, person.home_unit, _("您无权修改该人员。"))
    editable = {"name", "phone", "title", "email", "home_unit"}
    unknown = set(changes) - editable
    if unknown:
        raise ValidationError(_("这些字段不能在此修改：%(f)s") % {"f": "、".join(sorted(unknown))})
    if "home_unit" in changes:
        if changes["home_unit"] is None:
            raise ValidationError({"home_unit": _("请选择所属单位。")})
        _require_admin_of(actor, changes["home_unit"], _("您无权把人员调入该单位。"))
    before = audit.snapshot(person, PERSON_AUDIT_FIELDS)
    for field, value in changes.items():
        setattr(person, field, value.strip() if isinstance(value, str) else value)
    _validate_person(person)
    person.save()
    audit.record_update(actor=actor, obj=person, fields=PERSON_AUDIT_FIELDS, before=before)
    return person


@transaction.atomic
def set_person_active(*, actor, person, active, reason=""):
    """Deactivate (or reactivate) a person; a deactivated person cannot log in or use a token."""
    person = User.objects.select_for_update().get(pk=person.pk)
    _require_admin_of(actor, person.home_unit, _("您无权修改该人员。"))
    if person.pk == actor.pk and not active:
        raise ValidationError(_("不能停用自己的账号。"))
    if person.is_active == active:
        raise ValidationError(_("该人员已经是此状态。"))
    person.is_active = active
    person.save(update_fields=["is_active"])
    if not active:
        from rest_framework.authtoken.models import Token

        Token.objects.filter(user=person).delete()
    audit.record(
        action=AuditAction.ACTIVATE if active else AuditAction.DEACTIVATE,
        actor=actor,
        obj=person,
        before={"is_active": not active},
        after={"is_active": active},
        message=reason,
    )
    return person


@transaction.atomic
def reset_password(*, actor, person, new_password):
    """An administrator sets a temporary password; the person must change it at next login."""
    person = User.objects.select_for_update().get(pk=person.pk)
    _require_admin_of(actor, person.home_unit, _("您无权重置该人员的密码。"))
    _validate_password(new_password, person)
    person.set_password(new_password)
    person.must_change_password = True
    person.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit.record(action=AuditAction.RESET_PASSWORD, actor=actor, obj=person)
    return person


def _add_membership(*, actor, person, unit, role):
    membership, created = Membership.objects.get_or_create(user=person, unit=unit, role=role)
    if not created:
        if membership.active:
            raise ValidationError({"role": _("该人员已在此单位担任此角色。")})
        membership.active = True
        membership.save(update_fields=["active", "updated_at"])
    audit.record(
        action=AuditAction.ASSIGN_ROLE,
        actor=actor,
        obj=person,
        after={"unit": unit.pk, "unit_name": unit.name, "role": role},
    )
    forget_scope(person)
    return membership


@transaction.atomic
def assign_role(*, actor, person, unit, role):
    """Give a person a role in a unit (the unit's kind must admit the role)."""
    person = User.objects.select_for_update().get(pk=person.pk)
    _require_admin_of(actor, person.home_unit, _("您无权修改该人员。"))
    _require_admin_of(actor, unit, _("您无权在该单位分配角色。"))
    if role in (Role.SYSTEM_ADMIN, Role.AUDIT_ADMIN) and not scope_of(actor).has(Role.SYSTEM_ADMIN):
        raise PermissionDenied(_("只有系统管理员可以分配管理员角色。"))
    if not person.is_active:
        raise ValidationError(_("该人员已停用。"))
    _check_role(unit, role, person)
    return _add_membership(actor=actor, person=person, unit=unit, role=role)


@transaction.atomic
def revoke_role(*, actor, membership):
    """End a person's role in a unit; the record stays, inactive, for history."""
    membership = Membership.objects.select_for_update().select_related("user", "unit").get(pk=membership.pk)
    _require_admin_of(actor, membership.unit, _("您无权撤销该角色。"))
    if not membership.active:
        raise ValidationError(_("该角色已经撤销。"))
    if membership.user_id == actor.pk and membership.role == Role.SYSTEM_ADMIN:
        raise ValidationError(_("不能撤销自己的系统管理员角色。"))
    membership.active = False
    membership.save(update_fields=["active", "updated_at"])
    audit.record(
        action=AuditAction.REVOKE_ROLE,
        actor=actor,
        obj=membership.user,
        before={"unit": membership.unit_id, "unit_name": membership.unit.name, "role": membership.role},
    )
    forget_scope(membership.user)
    return membership
