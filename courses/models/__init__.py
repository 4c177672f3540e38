"""Self-paced modules: content pages (pages.py) and learners' records (learning.py)."""

from .learning import (
    AttemptAnswer,
    Enrolment,
    LessonProgress,
    ModuleCompletion,
    QuizAttempt,
)
from .pages import LessonPage, ModuleIndexPage, ModulePage, ModuleTopic, QuizPage

__all__ = [
    "AttemptAnswer",
    "Enrolment",
    "LessonPage",
    "LessonProgress",
    "ModuleCompletion",
    "ModuleIndexPage",
    "ModulePage",
    "ModuleTopic",
    "QuizAttempt",
    "QuizPage",
]
