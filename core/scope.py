"""Who sees what: the one scope mechanism (domain.md §7).

A user's scope is read once per request from their active memberships: for each role,
the tree paths of the units where they hold it. Every model's queryset derives from
`ScopedQuerySet` and says, as a `Q`, what a scope may see and change; pages, the API,
exports and counts all go through `visible_to(user)` / `editable_by(user)`.
"""

from functools import reduce
from operator import or_

from django.db import models
from django.db.models import Q

from .refs import RefsQuerySetMixin

NOTHING = Q(pk__in=[])
# Records are owned by a city (their `owner`), and every unit a record names — who reported a lead, where it
# was pushed or shared, a project's host and responsible units, a problem's departments — lies in that city:
# the services refuse any other. So whoever reads every record owned at or under a city or province unit
# already reads, there, whatever a record's other units would show them (see `Scope.beyond`).
OWNING_KINDS = ("province", "city")


class Scope:
    """The units a user holds each role in, as tree paths; memoised on the user object."""

    # Whether `beyond` may leave out what an owner branch already covers (core/tests/test_scope_pruning.py
    # turns it off to check that leaving it out never changes what anyone sees).
    prune = True

    def __init__(self, user):
        self.user = user
        self.by_role = {}
        self.owning = set()  # ids of the user's units at city level or above
        self.projects = set()
        if user is None or not user.is_authenticated or not user.is_active:
            return
        self.projects = set()  # ids of the projects the user leads (包联领导) or serves on (服务专班)
        for role, unit_id, path, kind in _scope_rows(user):
            if role == PROJECT_GRANT:
                self.projects.add(unit_id)
                continue
            self.by_role.setdefault(role, []).append((unit_id, path))
            if kind in OWNING_KINDS:
                self.owning.add(unit_id)

    def beyond(self, *roles):
        """This scope without the units at or under a city or province where the user holds `roles`.

        A queryset ORs its owner branch (`subtree_q("owner__path", *roles)`) with branches on the record's other
        units. Where the owner branch covers a whole city, those other branches add nothing there (OWNING_KINDS),
        yet each one ORed in stops the database from walking the list's index; a model builds them from
        `scope.beyond(*roles)` so they are left out where covered, and the list's query is the owner branch alone.
        """
        covered = [p for r in roles for uid, p in self.by_role.get(r, ()) if uid in self.owning]
        if not covered or not self.prune:
            return self
        rest = Scope(None)
        rest.user, rest.owning, rest.projects = self.user, self.owning, self.projects
        for role, entries in self.by_role.items():
            kept = [(uid, p) for uid, p in entries if not any(p.startswith(c) for c in covered)]
            if kept:
                rest.by_role[role] = kept
        return rest

    @property
    def roles(self):
        return set(self.by_role)

    def has(self, *roles):
        return any(r in self.by_role for r in roles)

    def unit_ids(self, *roles):
        """Ids of the units where the user holds any of `roles` (all roles if none named)."""
        roles = roles or tuple(self.by_role)
        return sorted({uid for r in roles for uid, _ in self.by_role.get(r, ())})

    def paths(self, *roles):
        roles = roles or tuple(self.by_role)
        found = sorted({p for r in roles for _, p in self.by_role.get(r, ())})
        # A path under another one is already covered by it.
        return [p for p in found if not any(p != q and p.startswith(q) for q in found)]

    def subtree_q(self, path_field, *roles):
        """Q matching rows whose unit path lies at or under a unit where the user holds `roles`.

        `path_field` names the unit's path ("unit__path", "lead__reporting_unit__path", or "path" on units
        themselves). For a row's unit the test is made on its key, `unit_id IN (SELECT id FROM unit WHERE path
        LIKE …)`, not by joining the unit table for its path: with no join for each branch, the database can
        walk a list's (unit, date) index and a scope's OR of branches stays cheap at province scale.
        """
        paths = self.paths(*roles)
        if not paths:
            return NOTHING
        under = reduce(or_, (Q(path__startswith=p) for p in paths))
        if path_field == "path":
            return under
        from django.apps import apps

        units = apps.get_model("organizations", "Unit").objects.filter(under).values("pk")
        return Q(**{f"{path_field.removesuffix('__path')}__in": units})

    def ancestor_ids(self, *roles):
        """Ids of every unit on the way from the root down to each unit where the user holds `roles`.

        Shared, city-owned records (the company directory, the chain taxonomy) are visible to
        everyone working inside the owning unit: their owner is one of these ancestors.
        """
        paths = self.paths(*roles)
        return sorted({int(p) for path in paths for p in path.strip("/").split("/") if p})

    def within_q(self, owner_field, *roles):
        """Q matching rows owned by a unit the user works at or under, or by a unit in their subtree."""
        ids = self.ancestor_ids(*roles)
        if not ids:
            return NOTHING
        return Q(**{f"{owner_field}_id__in": ids}) | self.subtree_q(f"{owner_field}__path", *roles)

    def projects_q(self, project_field):
        """Q matching rows whose project the user leads or serves on (ids read with the scope, no subquery)."""
        return Q(**{f"{project_field}__in": sorted(self.projects)}) if self.projects else NOTHING

    def units_q(self, unit_field, *roles):
        """Q matching rows whose unit is exactly one where the user holds `roles`."""
        ids = self.unit_ids(*roles)
        return Q(**{f"{unit_field}__in": ids}) if ids else NOTHING


PROJECT_GRANT = "project"  # not a role: a row of `_scope_rows` naming a project the user is bound to


def _scope_rows(user):
    """(role, unit id, unit path, unit kind) for each active membership, and ("project", project id, "", "") for
    each project the user leads or serves on (domain.md §7: the 包联 leader and service team read the project
    and its problems) — in ONE query, so that a project's visibility tests a list of ids, usually empty, rather
    than ORing subqueries the database cannot walk an index for."""
    from django.apps import apps
    from django.db.models import CharField, F, Value

    def grant(qs, key):
        return (
            qs.annotate(
                r=Value(PROJECT_GRANT, output_field=CharField()),
                u=F(key),
                p=Value("", output_field=CharField()),
                k=Value("", output_field=CharField()),
            )
            .values_list("r", "u", "p", "k")
            .order_by()
        )

    rows = (
        user.memberships.filter(active=True, unit__active=True)
        .annotate(r=F("role"), u=F("unit_id"), p=F("unit__path"), k=F("unit__kind"))
        .values_list("r", "u", "p", "k")
        .order_by()
    )
    if apps.is_installed("projects"):
        project = apps.get_model("projects", "Project")
        member = apps.get_model("projects", "ProjectTeamMember")
        rows = rows.union(
            grant(project.objects.filter(leader_id=user.pk), "pk"),
            grant(member.objects.filter(user_id=user.pk), "project_id"),
            all=True,
        )
    return list(rows)


def scope_of(user):
    if user is None:
        return Scope(None)
    cached = getattr(user, "_zs_scope", None)
    if cached is None:
        cached = Scope(user)
        try:
            user._zs_scope = cached
        except AttributeError:  # AnonymousUser and the like
            pass
    return cached


def holds_over(user, unit, *roles):
    """Whether `user` holds one of `roles` at `unit` or at a unit above it (no query: the scope is memoised)."""
    if unit is None:
        return False
    return any(unit.path.startswith(path) for path in scope_of(user).paths(*roles))


def forget_scope(user):
    """Drop the memoised scope after the user's memberships change in this request."""
    if hasattr(user, "_zs_scope"):
        del user._zs_scope


class ScopedQuerySet(RefsQuerySetMixin, models.QuerySet):
    """Base for every domain queryset. Subclasses define `visibility_q` and `editability_q`.

    Both default to nothing: a model that forgets to define its scope shows nothing,
    never everything.
    """

    def visibility_q(self, scope):
        return NOTHING

    def editability_q(self, scope):
        return NOTHING

    def visible_to(self, user):
        scope = scope_of(user)
        # People can always see themselves, even before they hold any role.
        if not scope.by_role and not getattr(self, "self_visible", False):
            return self.none()
        return self.filter(self.visibility_q(scope))

    def editable_by(self, user):
        scope = scope_of(user)
        if not scope.by_role:
            return self.none()
        return self.filter(self.editability_q(scope))
