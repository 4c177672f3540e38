"""The signed link of a survey e-mail: it opens one invitation without logging in.

The token is `django.core.signing` data (the invitation's uuid) under its own salt,
so no other signed value of the site can be replayed here, with its time: it expires
after MAX_AGE. It opens only the invitation it names, whoever is logged in; once
the invitation is answered, the page says so and a new submit stores nothing.
"""

from datetime import timedelta

from django.core import signing

from .errors import SurveyError
from .models import SurveyInvitation

SALT = "reperes.surveys.invitation"
MAX_AGE = timedelta(days=120)


def make_token(invitation):
    return signing.dumps({"i": str(invitation.uuid)}, salt=SALT)


def invitation_for_token(token):
    """The invitation the token names; `expired_token` or `invalid_token` otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.SignatureExpired:
        raise SurveyError("expired_token") from None
    except signing.BadSignature:
        raise SurveyError("invalid_token") from None
    uuid = data.get("i") if isinstance(data, dict) else None
    invitation = (
        SurveyInvitation.objects.select_related("questionnaire", "module", "session", "user")
        .filter(uuid=uuid)
        .first()
        if isinstance(uuid, str) and len(uuid) == 36
        else None
    )
    if invitation is None:
        raise SurveyError("invalid_token")
    return invitation
