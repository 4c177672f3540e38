"""The shared contact card's helpers (`guides/includes/contact_card.html`)."""

import re

from django import template
from django.utils import timezone

from accounts.communes import COMMUNES

from .. import opening as opening_hours

register = template.Library()

_NOT_DIALLED = re.compile(r"[^\d+]")


@register.filter
def tel_href(phone):
    """The number of a `tel:` link: digits, and a `+` only in front (« 01 99 00 12 34 »
    → « 0199001234 », « +33 (0)1… » keeps what is dialled without the « (0) »)."""
    phone = (phone or "").replace("(0)", "")
    digits = _NOT_DIALLED.sub("", phone)
    return ("+" if digits.startswith("+") else "") + digits.replace("+", "")


@register.filter
def commune_name(code):
    return COMMUNES.get(code or "", "")


@register.simple_tag
def contact_hours(contact, show_status=True):
    """{"opening": Opening or None, "lines": [...]} of a contact, read from
    `contact.hours.all()` (prefetched by listings). `show_status=False` where the
    rendering is kept (a guide's body, a PDF): the hours alone do not go stale."""
    slots = [] if contact.always_open else opening_hours.slots_of(contact.hours.all())
    opening = None
    if show_status:
        opening = opening_hours.opening_at(slots, timezone.now(), contact.always_open)
    return {"opening": opening, "lines": opening_hours.summary(slots)}
