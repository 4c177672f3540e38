"""Legal guides and what they point to: publishers, guide pages and their PDFs
(guides.py); the contacts of the directory (contacts.py); the « Que faire ? » path
(orientation.py)."""

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
from .orientation import (
    OrientationAnswer,
    OrientationFiche,
    OrientationOutcomeContact,
    OrientationOutcomeDailyCount,
    OrientationOutcomePage,
    OrientationPage,
    OrientationStepPage,
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
    "OrientationAnswer",
    "OrientationFiche",
    "OrientationOutcomeContact",
    "OrientationOutcomeDailyCount",
    "OrientationOutcomePage",
    "OrientationPage",
    "OrientationStepPage",
    "Publisher",
    "Weekday",
    "routed_guide",
    "routed_guide_page",
]
