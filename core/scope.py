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

NOTHING = Q(pk__in=[])


class Scope:
    """The units a user holds each role in, as tree paths; memoised on the user object."""

    def __init__(self, user):
        self.user = user
        self.by_role = {}
        if user is None or not user.is_authenticated or not user.is_active:
            return
        rows = user.memberships.filter(active=True, unit__active=True).values_list("role", "unit_id", "unit__path")
        for role, unit_id, path in rows:
            self.by_role.setdefault(role, []).append((unit_id, path))

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
        """Q matching rows whose unit path lies at or under a unit where the user holds `roles`."""
        paths = self.paths(*roles)
        if not paths:
            return NOTHING
        return reduce(or_, (Q(**{f"{path_field}__startswith": p}) for p in paths))

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

    def units_q(self, unit_field, *roles):
        """Q matching rows whose unit is exactly one where the user holds `roles`."""
        ids = self.unit_ids(*roles)
        return Q(**{f"{unit_field}__in": ids}) if ids else NOTHING


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


class ScopedQuerySet(models.QuerySet):
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
