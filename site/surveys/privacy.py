"""What the surveys app holds about a person, for « Mes données » and deletion.

Registered with the accounts app (`accounts.privacy.registry`) by SurveysConfig.ready.
The export lists the person's invitations and their answers. On deletion the
invitations lose their user (`on_delete=SET_NULL`, by the database cascade): the
answers stay for the figures, with nothing left that names the person (responses
hold no user; free text is kept as typed).
"""

from django.db.models import Prefetch

from accounts.privacy import registry

from .models import SurveyAnswer, SurveyInvitation


def register():
    registry.register_section(
        registry.Section(
            name="surveys",
            order=60,
            export={"survey_answers": survey_answers},
            template="surveys/privacy/my_data.html",
        )
    )
    registry.register_erasure(
        registry.Erasure(
            name="surveys",
            order=60,
            prepare=count_answers,
            notice="surveys/privacy/deletion_notice.html",
        )
    )


def count_answers(user, now):
    return {
        "survey_answers_kept": SurveyInvitation.objects.filter(user=user)
        .exclude(answered_at=None)
        .count()
    }


def survey_answers(user):
    """Each invitation, and the answers given with the questions as they were asked.

    Three queries, whatever the number of invitations.
    """
    invitations = (
        SurveyInvitation.objects.filter(user=user)
        .select_related("module", "session", "response")
        .prefetch_related(
            Prefetch("response__answers", queryset=SurveyAnswer.objects.order_by("pk"))
        )
        .order_by("created_at", "pk")
    )
    return [invitation_data(invitation) for invitation in invitations]


def invitation_data(invitation):
    response = getattr(invitation, "response", None) if invitation.answered_at else None
    return {
        "kind": invitation.kind,
        "kind_label": str(invitation.get_kind_display()),
        "course": invitation.course_title,
        "invited_at": invitation.created_at,
        "due_at": invitation.due_at,
        "emailed_at": invitation.emailed_at,
        "answered_at": invitation.answered_at,
        "answers": response_answers(response) if response is not None else [],
    }


def response_answers(response):
    labels = {question["id"]: question["label"] for question in response.questions}
    return [
        {
            "question": labels.get(answer.question_id, ""),
            "value": answer.value,
            "choice": answer.choice,
            "text": answer.text,
        }
        for answer in response.answers.all()
    ]
