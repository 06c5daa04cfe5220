"""Reading reminders: a person's notifications, a city's channels, and which city a person works in."""

from django.db.models import Q

from core.scope import scope_of
from organizations.choices import UnitKind
from organizations.models import Unit

from .models import CHANNEL_ROLES, Channel, Notification

HOME_UNREAD_SHOWN = 10


def notifications_for(user):
    """The user's own notifications, newest first (nobody sees anyone else's)."""
    return Notification.objects.visible_to(user).order_by("-created_at", "-id")


def unread_for(user):
    return notifications_for(user).unread()


def channels_for(user):
    """The channels of the cities whose office (or system administration) the user is in."""
    return Channel.objects.visible_to(user).select_related("owner", "created_by").order_by("owner__path", "kind", "id")


def channel_cities(user):
    """The cities whose channels the user sets up: where they hold the office or system-administrator role at the
    city, above it or inside it (the office's people sit in the centre, a unit of the city)."""
    scope = scope_of(user)
    if not scope.has(*CHANNEL_ROLES):
        return Unit.objects.none()
    inside = scope.subtree_q("path", *CHANNEL_ROLES)
    above = Q(pk__in=scope.ancestor_ids(*CHANNEL_ROLES))
    return Unit.objects.filter(inside | above, kind=UnitKind.CITY, active=True).order_by("path")


def city_units():
    """Every city, for placing people in theirs (one query)."""
    return list(Unit.objects.filter(kind=UnitKind.CITY).only("id", "name", "path").order_by("path"))


def city_of(user, cities):
    """The city a person works in: the one their home unit (else their first role's unit) lies in; None if none."""
    paths = []
    home = user.home_unit if user.home_unit_id else None
    if home is not None:
        paths.append(home.path)
    paths += scope_of(user).paths()
    for path in paths:
        for city in cities:
            if path.startswith(city.path):
                return city
    return None
