"""Learner actions of the self-paced wing (/apprendre/…).

Included by `courses.urls` at the site root, before Wagtail's catch-all:
/formations/ itself is the Wagtail module index. Every state change is a POST.
"""

from django.urls import path

from courses.modules import views

urlpatterns = [
    path("apprendre/modules/<int:module_id>/commencer/", views.start_module, name="start_module"),
    path(
        "apprendre/lecons/<int:lesson_id>/terminer/",
        views.complete_lesson,
        name="complete_lesson",
    ),
    path("apprendre/modules/<int:module_id>/quiz/", views.quiz, name="quiz"),
    # Before the string converter: « passer » is not a moment.
    path(
        "apprendre/modules/<int:module_id>/positionnement/passer/",
        views.skip_positioning,
        name="skip_positioning",
    ),
    path(
        "apprendre/modules/<int:module_id>/positionnement/<slug:moment>/",
        views.positioning_page,
        name="positioning",
    ),
    path(
        "apprendre/modules/<int:module_id>/quiz/commencer/",
        views.start_quiz,
        name="start_quiz",
    ),
    path("apprendre/tentatives/<int:attempt_id>/", views.attempt, name="attempt"),
    path(
        "apprendre/tentatives/<int:attempt_id>/enregistrer/",
        views.save_answers,
        name="save_answers",
    ),
    path(
        "apprendre/tentatives/<int:attempt_id>/valider/",
        views.submit_attempt,
        name="submit_attempt",
    ),
    path(
        "apprendre/tentatives/<int:attempt_id>/resultat/",
        views.attempt_result,
        name="attempt_result",
    ),
]
