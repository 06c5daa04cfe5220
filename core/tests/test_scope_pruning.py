"""Leaving out what an owner branch covers (core.scope.Scope.beyond) never changes what anyone sees or may change.

Every scoped model is asked, for each person of the demo, with the pruning on and off: the rows must be the same.
The office's lists must then be one branch (no OR for the database to give up its index on). (A person bound to a
project of another city: core/tests/test_scope_grants.py.)
"""

import pytest
from django.apps import apps

from core.scope import Scope, ScopedQuerySet
from organizations.models import User

pytestmark = pytest.mark.django_db


def scoped_models():
    found = []
    for model in apps.get_models():
        manager = getattr(model, "objects", None)
        if manager is not None and isinstance(manager.all(), ScopedQuerySet):
            found.append(model)
    return found


def seen(model, user, prune, how="visible_to"):
    Scope.prune = prune
    try:
        fresh = User.objects.get(pk=user.pk)  # the scope is memoised on the user object
        return set(getattr(model.objects, how)(fresh).values_list("pk", flat=True))
    finally:
        Scope.prune = True


def test_pruning_never_changes_what_anyone_sees_or_may_change(loaded_demo):
    people = list(User.objects.filter(memberships__active=True).distinct().order_by("pk"))
    pruned_for = [p for p in people if Scope(p).beyond(*Scope(p).roles) is not Scope(p)]
    assert pruned_for, "no one in the demo reads a whole city: the check proves nothing"
    models = scoped_models()
    assert len(models) > 20
    compared = 0
    for person in pruned_for:
        for model in models:
            for how in ("visible_to", "editable_by"):
                pruned, whole = seen(model, person, True, how), seen(model, person, False, how)
                assert pruned == whole, (
                    f"{model.__name__}.{how}({person.username}): pruning changed the rows: "
                    f"{sorted(whole - pruned)[:5]} lost, {sorted(pruned - whole)[:5]} gained"
                )
                compared += bool(whole)
    assert compared > 50, "too few non-empty comparisons to prove anything"


def test_the_offices_lists_are_one_branch(loaded_demo):
    from leads.models import Lead
    from projects.models import Project
    from service.models import Problem

    office = User.objects.get(username="zhongxin")
    for model in (Lead, Project, Problem):
        sql = str(model.objects.visible_to(office).query)
        assert " OR " not in sql, f"{model.__name__}: the office's scope is still ORed: {sql[:300]}"
        assert sql.count("organizations_unit") == 1, f"{model.__name__}: {sql[:300]}"
