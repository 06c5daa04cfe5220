"""Masking of personal contact details for roles that do not need them."""

from organizations.choices import CONTACT_READER_ROLES

from .scope import scope_of


def mask_phone(phone):
    """13812345678 → 138****5678; short or empty values are masked whole."""
    phone = phone or ""
    if not phone:
        return ""
    if len(phone) >= 7:
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * len(phone)


def can_see_contacts(viewer, person=None):
    if person is not None and viewer.pk == getattr(person, "pk", None):
        return True
    return scope_of(viewer).has(*CONTACT_READER_ROLES)


def phone_for(viewer, person):
    return person.phone if can_see_contacts(viewer, person) else mask_phone(person.phone)
