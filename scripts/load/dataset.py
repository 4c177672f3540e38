"""What the load run needs in the database before it starts (Django set up by the caller).

- `create_professionals`: accounts made in bulk (one password hash computed once and
  shared: hashing 200 passwords would cost minutes of CPU before the run even starts),
  each with a verified primary e-mail address, as a real sign-up leaves it.
- `open_sessions`: a signed-in session per account, written through the project's
  session engine (PostgreSQL and Redis), as a login would. allauth's login rate limit
  (30 a minute per address) would refuse 200 people logging in from 127.0.0.1 at once;
  a few accounts still log in through the form (`form_logins`).
- `answer_key`: the right choices of every live quiz, which the simulated people use
  to pass; the browser itself never receives them.
"""

import copy
from importlib import import_module

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from accounts.professions import Profession

EMAIL_DOMAIN = "charge.reperes.example"
# The accounts' shared password: a throwaway database, created and dropped by the run.
PASSWORD = "Charge-de-test-Reperes-2026"  # noqa: S105
MODEL_BACKEND = "accounts.backends.ModelBackend"
PROFESSIONS = [choice for choice in Profession.values if choice != Profession.AUTRE]


def professional_email(number):
    return f"professionnel-{number:03d}@{EMAIL_DOMAIN}"


@transaction.atomic
def create_professionals(count):
    """`count` active professionals with verified addresses, in three queries."""
    user_model = get_user_model()
    shared_hash = make_password(PASSWORD)
    users = user_model.objects.bulk_create(
        user_model(
            email=professional_email(number),
            first_name="Camille",
            last_name=f"Charge {number:03d}",
            profession=PROFESSIONS[number % len(PROFESSIONS)],
            organisation="Collège de la charge",
            workplace_commune="93008",  # Bobigny
            workplace_departement="93",
            password=shared_hash,
        )
        for number in range(1, count + 1)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users
    )
    return users


def open_session(user):
    """A signed-in session key for `user`, stored where every app server reads it."""
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = MODEL_BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def open_sessions(users, form_logins=0):
    """The accounts file's entries: the first `form_logins` log in through the form."""
    accounts = []
    for index, user in enumerate(users):
        by_form = index < form_logins
        accounts.append(
            {
                "email": user.email,
                "session": "" if by_form else open_session(user),
                "form_login": by_form,
            }
        )
    return {
        "password": PASSWORD,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "accounts": accounts,
    }


def answer_key():
    """{"questions": {question id: {"ids", "texts"}}, "modules": {id: limits}}.

    Built from the same snapshot the attempts freeze (`quiz_snapshot`), on an
    unsaved copy that draws every question, so a quiz drawing a few per attempt
    is covered too. The right choices are given by id and by text: choices stored
    without their own block id (as the demo content writes them) get a new id each
    time the page is read, so only their text identifies them from one attempt to
    the next.
    """
    from courses.models import QuizPage
    from courses.modules import services

    questions, modules = {}, {}
    for quiz in QuizPage.objects.live().specific():
        module = services.module_of(quiz)
        every_question = copy.copy(quiz)
        every_question.questions_drawn = 0
        for question in services.quiz_snapshot(every_question):
            right = [c for c in question["choices"] if c["correct"]]
            questions[question["id"]] = {
                "ids": [c["id"] for c in right],
                "texts": [str(c["text"]) for c in right],
            }
        modules[str(module.pk)] = {
            "title": module.title,
            "max_attempts": module.max_attempts or None,
            "passing_score": module.passing_score,
        }
    return {"questions": questions, "modules": modules}


def create_trainers(count, professionals, per_session=40):
    """`count` trainers, each running one session today with `per_session` participants.

    Each session has one half-day that covers the whole day (so the roll can be marked
    at any hour of the run without a correction reason), participants taken in turn
    from the load's professionals, registered through the project's own service. The
    trainers get an authenticator app: staff pages want a second factor.
    """
    import base64
    import secrets
    from datetime import time as day_time
    from datetime import timedelta

    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts import roles
    from accounts.mfa import add_totp_authenticator
    from courses.models import TrainingSession
    from courses.sessions import registrations
    from guides.models import Publisher

    user_model = get_user_model()
    organiser = Publisher.objects.order_by("pk").first()
    group = Group.objects.get(name=roles.FORMATEUR)
    today = timezone.localdate()
    opens_at = timezone.now() - timedelta(days=7)
    closes_at = opens_at + timedelta(days=3)
    trainers, sessions = [], []
    with transaction.atomic():
        shared_hash = make_password(PASSWORD)
        for number in range(1, count + 1):
            trainer = user_model.objects.create(
                email=f"formateur-{number:03d}@{EMAIL_DOMAIN}",
                first_name="Dominique",
                last_name=f"Formation {number:03d}",
                password=shared_hash,
            )
            EmailAddress.objects.create(
                user=trainer, email=trainer.email, verified=True, primary=True
            )
            trainer.groups.add(group)
            add_totp_authenticator(trainer, base64.b32encode(secrets.token_bytes(20)).decode())
            session = TrainingSession.objects.create(
                title=f"Session de charge {number:03d}",
                description="Session créée par make load.",
                organiser=organiser,
                venue_name="Salle de la charge",
                address="1 rue de la Charge",
                commune="Bobigny",
                capacity=per_session + 10,
                registration_opens_at=opens_at,
                registration_closes_at=closes_at,
                created_by=trainer,
            )
            session.trainers.add(trainer)
            registrations.set_slots(
                session,
                [{"date": today, "start_time": day_time(0, 0), "end_time": day_time(23, 59)}],
                by=trainer,
            )
            for offset in range(per_session):
                person = professionals[((number - 1) * per_session + offset) % len(professionals)]
                registrations.register(person, session, now=opens_at + timedelta(hours=1))
            trainers.append(trainer)
            sessions.append(
                {"uuid": str(session.uuid), "slot": session.slots.get().pk, "email": trainer.email}
            )
    return trainers, sessions


def verification_codes(limit=200):
    """Codes of issued certificates, for the simulated people who verify one."""
    from certificates.models import Certificate

    return list(Certificate.objects.order_by("pk").values_list("code", flat=True)[:limit])
