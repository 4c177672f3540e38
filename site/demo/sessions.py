"""Demo in-person sessions: two upcoming (Bobigny, Saint-Denis), one finished.

Everything goes through the session services, so the demo holds what the app itself
produces: `set_slots`, `register` (the Bobigny session fills up and two people land
on its waiting list), then, for the finished session, the trainer's marks, a self
check-in with the code of the trainer's screen, the participants' and the trainer's
signatures, and `finish_session`, which issues the certificats de réalisation (their
PDFs are rendered by the task backend once load_demo commits).

The finished session is replayed at the times it happened: the services take `now`,
so the history reads as a real day (marks made in the room, not corrections made
weeks later). Creating the session row itself has no service (the trainer area
saves its form, then calls `set_slots`): it is created here the same way.

Dates are relative to the day the demo is loaded (Europe/Paris), on weekdays.
Idempotent: each demo session has a fixed uuid, and an existing one is left as is
(trainers may have edited it).
"""

import io
import logging
import math
import uuid
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import Audience
from accounts.professions import Profession
from courses.models import ModulePage, TrainingSession
from courses.models.sessions import ATTENDED
from courses.sessions import checkin, registrations, signatures
from courses.sessions.attendance import mark_attendance
from courses.sessions.certificates import finish_session
from guides.models import Publisher

from .accounts import DEMO_PARTICIPANTS
from .content import PUBLISHERS
from .progress import DEMO_LEARNER

logger = logging.getLogger(__name__)

DEMO_TRAINER = "formateur@reperes.example"
ORGANISER = next(spec["name"] for spec in PUBLISHERS if spec["key"] == "amicale")
# Fixed, so that a second run finds the sessions whatever was edited since.
NAMESPACE = uuid.UUID("5b0f8f0e-3d55-4c4e-9a3e-6d656d6f7265")
HALF_DAYS = [(time(9, 0), time(12, 30)), (time(13, 30), time(17, 0))]
TUESDAY, THURSDAY = 1, 3

PARTICIPANTS = [spec["email"] for spec in DEMO_PARTICIPANTS]
(YASMINE, THOMAS, NADIA, JULIEN, SARAH, MEHDI, LAURA, ANTOINE, ELODIE, ROMAIN) = PARTICIPANTS
MODULE_REPERER = "prostitution-des-mineures-comprendre-reperer-agir"
MODULE_CADRE_LEGAL = "le-cadre-legal"
EDUCATION_TEAMS = [
    Profession.ENSEIGNANT,
    Profession.CPE,
    Profession.INFIRMIER_SCOLAIRE,
    Profession.ASSISTANT_SOCIAL,
    Profession.EDUCATEUR,
    Profession.PSYCHOLOGUE,
]

UPCOMING = [
    {
        "key": "bobigny",
        "title": "Prostitution des mineur·e·s : repérer et agir",
        "module": MODULE_REPERER,
        "description": (
            "Contenu d'exemple. Une journée de sensibilisation en deux demi-journées : "
            "comprendre les mécanismes de la prostitution des mineur·e·s, repérer les "
            "signaux, engager le dialogue et transmettre au bon interlocuteur. Ouverte à "
            "tou·te·s les professionnel·le·s au contact d'enfants et d'adolescent·e·s."
        ),
        "venue_name": "Salle de conférence — exemple",
        "address": "1 rue de l'Exemple",
        "commune": "Bobigny",
        "capacity": 6,
        "in_days": 21,
        "weekday": TUESDAY,
        "audiences": list(Profession.values),
        # Six seats: the last two people join the waiting list, in this order.
        "people": [YASMINE, THOMAS, NADIA, MEHDI, LAURA, JULIEN, SARAH, ANTOINE],
    },
    {
        "key": "saint-denis",
        "title": "Repérer et orienter : session pour les équipes éducatives",
        "module": MODULE_REPERER,
        "description": (
            "Contenu d'exemple. Deux demi-journées pour les équipes des établissements "
            "scolaires et de la protection de l'enfance : les signaux d'alerte, la "
            "posture d'écoute, l'information préoccupante et le signalement."
        ),
        "venue_name": "Maison des associations — exemple",
        "address": "10 place de l'Exemple",
        "commune": "Saint-Denis",
        "capacity": 15,
        "in_days": 35,
        "weekday": THURSDAY,
        "audiences": EDUCATION_TEAMS,
        "people": [DEMO_LEARNER, ELODIE, ROMAIN],
    },
]

FINISHED = {
    "key": "pantin-terminee",
    "title": "Le cadre légal en pratique",
    "module": MODULE_CADRE_LEGAL,
    "description": (
        "Contenu d'exemple. Session terminée : les textes qui protègent les mineur·e·s, "
        "le secret professionnel et le partage d'informations, la transmission à la "
        "CRIP, travaillés à partir de situations."
    ),
    "venue_name": "Salle de formation — exemple",
    "address": "5 avenue de l'Exemple",
    "commune": "Pantin",
    "capacity": 12,
    "days_ago": 21,
    "weekday": THURSDAY,
    "audiences": list(Profession.values),
}
#: Each participant's mark for the morning and the afternoon of the finished session.
FINISHED_ATTENDANCE = {
    DEMO_LEARNER: ("present", "present"),
    YASMINE: ("present", "present"),
    THOMAS: ("absent", "present"),
    NADIA: ("late", "present"),
    JULIEN: ("present", "present"),
}
#: Checks in with the code shown on the trainer's screen (the others are marked by the trainer).
SELF_CHECK_IN = {DEMO_LEARNER}
#: Signs with the typed-name alternative instead of drawing.
TYPED_SIGNATURE = {NADIA}


def session_uuid(key):
    return uuid.uuid5(NAMESPACE, key)


def weekday_on_or_after(day, weekday):
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def weekday_on_or_before(day, weekday):
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def at(day, hour):
    return timezone.make_aware(datetime.combine(day, hour))


def signature_png(seed, variant=0):
    """A looping pen stroke over a line, as canvas-sized PNG bytes.

    `seed` gives each person their own hand, `variant` (the half-day) a slightly
    different signature each time, as on paper.
    """
    image = Image.new("RGBA", (480, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    loops = 5 + seed % 4
    height = 30 + 4 * (seed % 3) + 2 * variant
    points = []
    for step in range(240):
        t = step / 240
        angle = t * loops * 2 * math.pi
        x = 40 + 330 * t + 16 * math.cos(angle + seed)
        y = 80 - height * math.sin(angle) * (1 - 0.5 * t) + 20 * t * (1 + seed % 2)
        points.append((x, y))
    ink = (25, 35, 80, 255)
    draw.line(points, fill=ink, width=3, joint="curve")
    draw.line([(60, 132), (400 + 6 * seed - 4 * variant, 125)], fill=ink, width=3)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# --- Building --------------------------------------------------------------------------------


def ensure_demo_sessions():
    """Create the three demo sessions that do not exist yet; how many were created."""
    wanted = {DEMO_TRAINER, DEMO_LEARNER, *PARTICIPANTS}
    users = {user.email: user for user in get_user_model().objects.filter(email__in=wanted)}
    organiser = Publisher.objects.filter(name=ORGANISER).first()
    if users.keys() != wanted or organiser is None:
        return 0  # no demo accounts (DEBUG off without --force)
    trainer = users[DEMO_TRAINER]
    today = timezone.localdate()
    created = 0
    for spec in UPCOMING:
        day = weekday_on_or_after(today + timedelta(days=spec["in_days"]), spec["weekday"])
        created += _ensure_upcoming(spec, day, trainer, organiser, users)
    day = weekday_on_or_before(today - timedelta(days=FINISHED["days_ago"]), FINISHED["weekday"])
    created += _ensure_finished(day, trainer, organiser, users)
    if created:
        logger.info("demo sessions created: %s", created)
    return created


def _create_session(spec, day, trainer, organiser, opens_at, closes_at):
    """The session row and its trainer, then its two half-days through `set_slots`."""
    session = TrainingSession.objects.create(
        uuid=session_uuid(spec["key"]),
        title=spec["title"],
        module=ModulePage.objects.live().filter(slug=spec["module"]).first(),
        description=spec["description"],
        organiser=organiser,
        venue_name=spec["venue_name"],
        address=spec["address"],
        commune=spec["commune"],
        capacity=spec["capacity"],
        registration_opens_at=opens_at,
        registration_closes_at=closes_at,
        created_by=trainer,
    )
    session.trainers.add(trainer)
    session.audiences.set(Audience.objects.filter(code__in=spec["audiences"]))
    slots = [{"date": day, "start_time": start, "end_time": end} for start, end in HALF_DAYS]
    registrations.set_slots(session, slots, by=trainer)
    return session


def _ensure_upcoming(spec, day, trainer, organiser, users):
    if TrainingSession.objects.filter(uuid=session_uuid(spec["key"])).exists():
        return 0
    opens_at = timezone.now() - timedelta(days=14)
    closes_at = at(day, HALF_DAYS[0][0]) - timedelta(days=3)
    with transaction.atomic():
        session = _create_session(spec, day, trainer, organiser, opens_at, closes_at)
        # People registered over the last days, a few hours apart (waiting-list order).
        for index, email in enumerate(spec["people"]):
            when = opens_at + timedelta(days=1, hours=5 * index)
            registrations.register(users[email], session, now=when)
    return 1


def _ensure_finished(day, trainer, organiser, users):
    if TrainingSession.objects.filter(uuid=session_uuid(FINISHED["key"])).exists():
        return 0
    first_start = at(day, HALF_DAYS[0][0])
    opens_at = first_start - timedelta(days=42)
    with transaction.atomic():
        session = _create_session(
            FINISHED, day, trainer, organiser, opens_at, first_start - timedelta(days=2)
        )
        for index, email in enumerate(FINISHED_ATTENDANCE):
            registrations.register(users[email], session, now=opens_at + timedelta(days=3 + index))
        slots = list(session.slots.order_by("date", "start_time"))
        for number, slot in enumerate(slots):
            slot.session = session
            _replay_half_day(slot, number, trainer, users)
        finish_session(session, by=trainer, now=slots[-1].ends_at + timedelta(minutes=15))
    return 1


def _replay_half_day(slot, number, trainer, users):
    """Check-in, marks and signatures of one half-day, at the times they would happen."""
    for seed, (email, marks) in enumerate(FINISHED_ATTENDANCE.items()):
        user, status = users[email], marks[number]
        registration = slot.session.registrations.get(user=user)
        if email in SELF_CHECK_IN:
            when = slot.starts_at - timedelta(minutes=5)
            code = checkin.current_checkin(slot, now=when).short_code
            checkin.check_in(user, code, slot=slot, device_id=f"demo-{user.pk}", now=when)
        else:
            when = slot.starts_at + timedelta(minutes=40 if status == "late" else 10)
            mark_attendance(trainer, slot, registration, status, now=when)
        if status in ATTENDED:
            _sign(user, slot, email, seed, number, when + timedelta(minutes=2))
    signatures.sign_slot_as_trainer(
        trainer,
        slot,
        image_bytes=signature_png(len(FINISHED_ATTENDANCE), number),
        certified=True,
        now=slot.ends_at - timedelta(minutes=10),
    )


def _sign(user, slot, email, seed, variant, when):
    if email in TYPED_SIGNATURE:
        content = {"typed_name": user.get_full_name()}
    else:
        content = {"image_bytes": signature_png(seed, variant)}
    signatures.sign_slot(user, slot, certified=True, now=when, **content)
