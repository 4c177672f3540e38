"""The questionnaire page: by the signed link of an e-mail, or from « Mon espace ».

- `/questionnaires/<token>/` opens the invitation the token names, logged in or not;
  the form posts back to the same address, so the token is checked again. An
  expired or tampered link gets a page that says so (400), never an error 500.
- `/questionnaires/invitation/<uuid>/` is for the logged-in person whose invitation
  it is; anyone else's is a 404.

Once answered, both show « Vous avez déjà répondu, merci » and a new submit stores
nothing (`already_answered`).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import services
from .errors import SurveyError
from .forms import answers_from_post, form_questions
from .models import SurveyInvitation
from .tokens import invitation_for_token


@require_http_methods(["GET", "POST"])
def by_token(request, token):
    try:
        invitation = invitation_for_token(token)
    except SurveyError as error:
        return render(request, "surveys/link_error.html", {"error": error}, status=400)
    return questionnaire_page(request, invitation)


@login_required
@require_http_methods(["GET", "POST"])
def by_invitation(request, uuid):
    invitation = (
        SurveyInvitation.objects.select_related("questionnaire", "module", "session")
        .filter(uuid=uuid, user=request.user, due_at__lte=timezone.now())
        .first()
    )
    if invitation is None:
        raise Http404
    return questionnaire_page(request, invitation)


def questionnaire_page(request, invitation):
    questions = invitation.questionnaire.snapshot()
    posted, errors, status = {}, {}, 200
    if request.method == "POST":
        posted = answers_from_post(request.POST, questions)
        try:
            services.submit_response(invitation, posted)
        except SurveyError as error:
            if error.code != "invalid_answers":
                return answered_page(request, invitation, replayed=True)
            errors, status = error.errors, 400
        else:
            messages.success(request, _("Merci : votre réponse est enregistrée."))
            return redirect(request.path)
    if invitation.answered_at is not None:
        return answered_page(request, invitation)
    return render(
        request,
        "surveys/questionnaire.html",
        {
            "invitation": invitation,
            "questionnaire": invitation.questionnaire,
            "questions": form_questions(questions, posted, errors),
            "errors": errors,
        },
        status=status,
    )


def answered_page(request, invitation, replayed=False):
    return render(
        request, "surveys/answered.html", {"invitation": invitation, "replayed": replayed}
    )
