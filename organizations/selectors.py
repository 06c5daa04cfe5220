"""Read queries for the org pages: the tree and the people of a unit, in a fixed number of queries."""

from django.db.models import Prefetch

from .choices import UnitKind
from .models import Membership, Unit, User

KIND_ORDER = list(UnitKind.values)


def unit_tree(user, include_inactive=False):
    """The units `user` may see as nested nodes: one query, built in memory from the paths."""
    units = Unit.objects.visible_to(user).order_by("path")
    if not include_inactive:
        units = units.filter(active=True)
    nodes = {}
    roots = []
    for unit in units.only(
        "id", "name", "code", "kind", "parent_id", "path", "depth", "active", "base_city", "sort_order"
    ):
        node = {"unit": unit, "children": []}
        nodes[unit.pk] = node
        parent = nodes.get(unit.parent_id)
        (parent["children"] if parent else roots).append(node)
    for nodes_list in [roots, *[n["children"] for n in nodes.values()]]:
        nodes_list.sort(key=_tree_order)
    return roots


def _tree_order(node):
    unit = node["unit"]
    return (unit.sort_order, KIND_ORDER.index(unit.kind), unit.code)


def with_active_memberships(people):
    return people.select_related("home_unit").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.filter(active=True).select_related("unit").order_by("unit__path"),
            to_attr="active_memberships",
        )
    )


def memberships_of_unit(unit):
    return (
        Membership.objects.filter(unit=unit, active=True, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__name")
    )


def visible_people(user):
    return with_active_memberships(User.objects.visible_to(user))
