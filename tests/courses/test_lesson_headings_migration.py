"""Migration 0004: lesson text sections move from h3 to h2 (no skipped heading level)."""

from importlib import import_module

import pytest
from django.apps import apps

from courses.models import LessonPage
from tests.courses.factories import build_module

pytestmark = pytest.mark.django_db

migration = import_module("courses.migrations.0004_lesson_text_headings_h2")

OLD = "<h3>Deux voies</h3><p>Texte.</p><h4>Détail</h4><p>Encore.</p>"
NEW = "<h2>Deux voies</h2><p>Texte.</p><h3>Détail</h3><p>Encore.</p>"


def test_lesson_text_headings_go_up_one_level_live_and_in_the_latest_revision():
    _module, (lesson,), _quiz = build_module(lessons=1)
    lesson.body = [
        ("paragraph", OLD),
        ("key_points", {"title": "Points clés", "points": ["Un point"]}),
    ]
    lesson.save_revision().publish()
    lesson.title = "Brouillon"
    lesson.save_revision()  # a draft: what the editor opens next

    migration.shift_lesson_headings(apps, None)

    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.body.raw_data[0]["value"] == NEW
    assert lesson.body.raw_data[1]["value"]["title"] == "Points clés"
    draft = lesson.latest_revision.as_object()
    assert draft.title == "Brouillon"
    assert draft.body.raw_data[0]["value"] == NEW


def test_headings_outside_h3_and_h4_are_left_alone():
    html = '<h2>Titre</h2><p class="h3">h3 dans le texte</p><h5>Cinq</h5>'
    assert migration.shift_headings(html) == html
