"""Legal guides and what they point to: publishers, guide pages and their PDFs
(guides.py); the contacts of the directory (contacts.py)."""

from .contacts import Contact, ContactDirectoryPage, ContactHours, ContactNeed, Need, Weekday
from .guides import (
    GuideDailyCount,
    GuideIndexPage,
    GuidePage,
    GuidePdf,
    GuideTopic,
    Publisher,
    routed_guide,
    routed_guide_page,
)

__all__ = [
    "Contact",
    "ContactDirectoryPage",
    "ContactHours",
    "ContactNeed",
    "GuideDailyCount",
    "GuideIndexPage",
    "GuidePage",
    "GuidePdf",
    "GuideTopic",
    "Need",
    "Publisher",
    "Weekday",
    "routed_guide",
    "routed_guide_page",
]
