"""Learner views: thin wrappers around `courses.modules.services`.

Every state change is a POST behind CSRF and login. Rows are always looked up
through `request.user`, so another person's attempt id is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from certificates.views import completion_certificate
from core.breadcrumbs import breadcrumb_items
from core.middleware import with_cached_site
from courses.models import LessonPage, ModulePage, QuizAttempt
from courses.models.learning import AttemptStatus
from courses.models.pages import outlined_module
from courses.modules import positioning, services
from courses.modules.errors import CourseError
from courses.modules.forms import answers_from_post, positioning_from_post
from surveys.services import open_module_invitation

BAD_INPUT = {"invalid_choice", "unknown_question"}


def _page_or_404(model, pk):
    page = get_object_or_404(model, pk=pk)
    if not page.live:
        raise Http404
    return page


def _step_url(request, module, step):
    return step.get_url(request) if step is not None else module.get_url(request)


@login_required
@require_POST
def start_module(request, module_id):
    module = _page_or_404(ModulePage, module_id)
    try:
        services.start_module(request.user, module)
    except CourseError as error:
        raise Http404 from error
    return redirect(_step_url(request, module, services.next_step(request.user, module)))


@login_required
@require_POST
def complete_lesson(request, lesson_id):
    lesson = _page_or_404(LessonPage, lesson_id)
    try:
        services.complete_lesson(request.user, lesson)
    except CourseError as error:
        if error.code == "module_not_live":
            raise Http404 from error
        messages.error(request, error.message)
        return redirect(services.module_of(lesson).get_url(request))
    progress = services.module_progress(request.user, services.module_of(lesson))
    following = progress.next_lesson_after(lesson)
    if following is None or progress.is_done(following):
        following = progress.next_step
    return redirect(_step_url(request, progress.module, following))


def _module_quiz_or_404(module_id):
    module = _page_or_404(ModulePage, module_id)
    quiz = services.module_quiz(module)
    if quiz is None:
        raise Http404
    return module, quiz


@login_required
@require_GET
@with_cached_site
def quiz(request, module_id):
    """The quiz's landing page: instructions, attempts so far, « Commencer ».

    The module, its lessons and its quiz come from the content cache: only the
    learner's own rows are read.
    """
    module = outlined_module(module_id)
    if module is None or not module.live:
        raise Http404
    progress = services.module_progress(
        request.user, module, module.live_lessons(), module.live_quiz()
    )
    if progress.quiz is None:
        raise Http404
    return render(
        request,
        "courses/modules/quiz_page.html",
        {
            "module": module,
            "quiz": progress.quiz,
            "progress": progress,
            "breadcrumb_items": breadcrumb_items(request, module, progress.quiz),
        },
    )


@login_required
@require_POST
def start_quiz(request, module_id):
    module, quiz = _module_quiz_or_404(module_id)
    quiz._cached_parent_obj = module
    try:
        attempt = services.start_attempt(request.user, quiz)
    except CourseError as error:
        if error.code == "module_not_live":
            raise Http404 from error
        messages.error(request, error.message)
        return redirect("courses:quiz", module_id=module.pk)
    return redirect("courses:attempt", attempt_id=attempt.pk)


def public_questions(attempt, answers):
    """The snapshot as the quiz form shows it: prompts and choice texts only.

    Built field by field (never by removing keys) so that nothing added to the
    snapshot later can leak a correct flag, a feedback or an explanation.
    """
    return [
        {
            "number": number,
            "id": question["id"],
            "kind": question["kind"],
            "multiple": question["multiple"],
            "prompt": question["prompt"],
            "vignette": question["vignette"],
            "answered": question["id"] in answers,
            "choices": [
                {
                    "id": choice["id"],
                    "text": choice["text"],
                    "checked": choice["id"] in answers.get(question["id"], ()),
                }
                for choice in question["choices"]
            ],
        }
        for number, question in enumerate(attempt.questions, start=1)
    ]


def _saved_answers(attempt):
    return dict(attempt.answers.values_list("question_id", "choice_ids"))


@login_required
@require_GET
def attempt(request, attempt_id):
    attempt = _user_attempt(request, attempt_id)
    if attempt.status == AttemptStatus.SUBMITTED:
        return redirect("courses:attempt_result", attempt_id=attempt.pk)
    answers = _saved_answers(attempt)
    questions = public_questions(attempt, answers)
    return render(
        request,
        "courses/modules/quiz_attempt.html",
        {
            "attempt": attempt,
            "module": attempt.module,
            "quiz": attempt.quiz,
            "questions": questions,
            "answered_count": sum(1 for q in questions if q["answered"]),
            "breadcrumb_items": breadcrumb_items(request, attempt.module, attempt.quiz),
        },
    )


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _bad_input(request, attempt, error):
    if _wants_json(request):
        return JsonResponse(
            {"ok": False, "code": error.code, "error": str(error.message)}, status=400
        )
    return render(
        request,
        "courses/modules/quiz_error.html",
        {"attempt": attempt, "message": error.message, "module": attempt.module},
        status=400,
    )


@login_required
@require_POST
def save_answers(request, attempt_id):
    attempt = _user_attempt(request, attempt_id)
    try:
        saved = services.save_answers(request.user, attempt, answers_from_post(request.POST))
    except CourseError as error:
        if error.code in BAD_INPUT:
            return _bad_input(request, attempt, error)
        if _wants_json(request):
            return JsonResponse({"ok": False, "code": error.code, "error": str(error.message)})
        return redirect("courses:attempt_result", attempt_id=attempt.pk)
    if _wants_json(request):
        return JsonResponse({"ok": True, "saved": sorted(saved)})
    messages.success(request, _("Réponses enregistrées."))
    # A question's own « Enregistrer » button brings the learner back to that question.
    question_id = request.POST.get("save", "")
    anchor = f"#question-{question_id}" if question_id in saved else ""
    return redirect(reverse("courses:attempt", args=[attempt.pk]) + anchor)


def _user_attempt(request, attempt_id, *, questions=True):
    """The learner's attempt (another person's is a 404), its module and quiz from the
    content cache.

    Compiling the attempt's join with its two pages (multi-table inheritance, every
    field) costs more than running it: the attempt is read alone. « Valider » leaves
    its questions to the service, which reads them under the row's lock.
    """
    attempts = QuizAttempt.objects.all() if questions else QuizAttempt.objects.defer("questions")
    attempt = get_object_or_404(attempts, pk=attempt_id, user=request.user)
    module = outlined_module(attempt.module_id)
    if module is not None:
        attempt.module = module
        quiz = module.live_quiz()
        if quiz is not None and quiz.pk == attempt.quiz_id:
            attempt.quiz = quiz
    return attempt


@login_required
@require_POST
def submit_attempt(request, attempt_id):
    """« Valider ». A replay or a second click lands on the first graded result."""
    attempt = _user_attempt(request, attempt_id, questions=False)
    result_url = reverse("courses:attempt_result", args=[attempt.pk])
    if attempt.status == AttemptStatus.SUBMITTED:
        return redirect(result_url)
    try:
        # One transaction, one row lock: the answers sent are saved, then graded.
        services.submit_attempt(request.user, attempt, answers_from_post(request.POST))
    except CourseError as error:
        if error.code in BAD_INPUT:
            return _bad_input(request, attempt, error)
        if error.code == "unanswered":
            messages.error(request, error.message)
            return redirect("courses:attempt", attempt_id=attempt.pk)
        # attempt_closed: a parallel request graded it first.
    return redirect(result_url)


@login_required
@require_GET
def attempt_result(request, attempt_id):
    attempt = _user_attempt(request, attempt_id)
    if attempt.status != AttemptStatus.SUBMITTED:
        return redirect("courses:attempt", attempt_id=attempt.pk)
    used = QuizAttempt.objects.filter(user=request.user, quiz_id=attempt.quiz_id).count()
    results = services.attempt_results(attempt, _saved_answers(attempt), used)
    left = services.attempts_left(attempt.module, used)
    completed = attempt.passed and services.is_completed(request.user, attempt.module)
    positioning_after_due = positioning.after_is_due(request.user, attempt.module, completed)
    return render(
        request,
        "courses/modules/quiz_result.html",
        {
            "attempt": attempt,
            "module": attempt.module,
            "quiz": attempt.quiz,
            "results": results,
            "right_count": sum(1 for r in results if r.right),
            "attempts_left": left,
            "can_retry": not attempt.passed and left != 0,
            # Passing the quiz with every lesson done completes the module, and the
            # attestation is issued in the same transaction: say so, and where it is.
            "module_completed": completed,
            "certificate": completion_certificate(request.user, attempt.module)
            if completed
            else None,
            # « Donnez votre avis sur ce module »: the open à chaud questionnaire (surveys app).
            "survey_invitation": open_module_invitation(request.user, attempt.module)
            if completed
            else None,
            "revealed": bool(results) and results[0].reveal,
            "positioning_after_due": positioning_after_due,
            "breadcrumb_items": breadcrumb_items(request, attempt.module, attempt.quiz),
        },
    )


# --- Self-positioning -------------------------------------------------------------------

POSITIONING_BAD_INPUT = {"unknown_statement", "invalid_value", "positioning_incomplete"}


def _positioning_page(request, module, moment, *, values=None, error=None, status=200):
    statements = positioning.statements(module)
    if not statements:
        raise Http404
    answered = positioning.answers(request.user, module, moment)
    before = (
        {
            row["statement_id"]: row["value"]
            for row in positioning.answers(request.user, module, "before")
        }
        if moment == positioning.AFTER and answered
        else {}
    )
    values = values or {}
    return render(
        request,
        "courses/modules/positioning.html",
        {
            "module": module,
            "moment": moment,
            "moment_slug": positioning.MOMENT_SLUGS[moment],
            "statements": [
                {"id": statement_id, "text": text, "value": str(values.get(statement_id, ""))}
                for statement_id, text in statements
            ],
            "scale": positioning.SCALE,
            "answered": [{**row, "before": before.get(row["statement_id"])} for row in answered],
            "error": error,
            "first_step_url": _step_url(request, module, services.next_step(request.user, module)),
            "breadcrumb_items": breadcrumb_items(request, module),
        },
        status=status,
    )


@login_required
def positioning_page(request, module_id, moment):
    """« Avant de commencer : où en êtes-vous ? » / « Et maintenant ? »: GET shows the
    statements (or the answers already given), POST stores them once."""
    module = _page_or_404(ModulePage, module_id)
    moment = positioning.SLUG_MOMENTS.get(moment)
    if moment is None:
        raise Http404
    if request.method == "GET":
        if moment == positioning.AFTER and not services.is_completed(request.user, module):
            # Nothing to measure yet: say so on the module page rather than a dead form.
            messages.info(request, CourseError("positioning_too_early").message)
            return redirect(module.get_url(request))
        return _positioning_page(request, module, moment)
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    values = positioning_from_post(request.POST)
    try:
        result = positioning.submit_positioning(request.user, module, moment, values)
    except CourseError as error:
        if error.code in POSITIONING_BAD_INPUT:
            return _positioning_page(
                request, module, moment, values=values, error=error.message, status=400
            )
        if error.code in {"no_positioning", "module_not_live"}:
            raise Http404 from error
        messages.error(request, error.message)
        return redirect(module.get_url(request))
    if not result.created:
        messages.info(
            request, _("Vous aviez déjà répondu : vos premières réponses sont conservées.")
        )
    elif moment == positioning.BEFORE:
        messages.success(request, _("Merci : vos réponses sont enregistrées. Bonne formation !"))
        return redirect(_step_url(request, module, services.next_step(request.user, module)))
    else:
        messages.success(request, _("Merci : vos réponses sont enregistrées."))
    return redirect(
        "courses:positioning", module_id=module.pk, moment=positioning.MOMENT_SLUGS[moment]
    )


@login_required
@require_POST
def skip_positioning(request, module_id):
    """« Passer »: nothing is recorded but the choice; on to the first lesson."""
    module = _page_or_404(ModulePage, module_id)
    if not positioning.statements(module):
        raise Http404
    try:
        positioning.skip_positioning(request.user, module)
    except CourseError as error:
        raise Http404 from error
    return redirect(_step_url(request, module, services.next_step(request.user, module)))
