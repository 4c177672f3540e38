"""Self-paced modules: content pages (pages.py) and learners' records (learning.py);
in-person sessions, registrations and attendance (sessions.py)."""

from .learning import (
    AttemptAnswer,
    AttemptChoice,
    Enrolment,
    LessonProgress,
    ModuleCompletion,
    PositioningAnswer,
    QuizAttempt,
)
from .pages import LessonPage, ModuleIndexPage, ModulePage, ModuleTopic, QuizPage
from .sessions import (
    Attendance,
    AttendanceMark,
    CalendarFeed,
    Registration,
    SessionSlot,
    SlotSignature,
    TrainingSession,
)

__all__ = [
    "AttemptAnswer",
    "AttemptChoice",
    "Attendance",
    "AttendanceMark",
    "CalendarFeed",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "ModuleCompletion",
    "ModuleIndexPage",
    "ModulePage",
    "ModuleTopic",
    "PositioningAnswer",
    "QuizAttempt",
    "QuizPage",
    "Registration",
    "SessionSlot",
    "SlotSignature",
    "TrainingSession",
]
