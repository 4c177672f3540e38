"""Demo complaints and improvement actions: a few sober, fictitious examples.

Filed and handled through the quality services (receipts go to the demo's in-memory
outbox, every step is in the audit log), then dated back so that the registers and
the dashboard show a history. Every message starts with « [Exemple] » and the
authors' addresses are on the demo's example domain. Idempotent: an example already
there (same address, same message) is left as it is.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import ModulePage, TrainingSession
from courses.models.sessions import SessionStatus
from guides.models import GuidePage
from quality import services
from quality.models import (
    ActionOrigin,
    ActionStatus,
    Complaint,
    ComplaintStatus,
    ImprovementAction,
    SubjectType,
)

from .certificates import DEMO_COMPLETED_MODULE_SLUG

COORDINATION = "coordination@reperes.example"
PREFIX = "[Exemple] "

COMPLAINTS = [
    {
        "key": "quiz",
        "name": "Claire Exemple",
        "email": "claire.exemple@reperes.example",
        "subject_type": SubjectType.MODULE,
        "message": "Une question du quiz cite un article de loi qui a été modifié depuis : "
        "la bonne réponse ne correspond plus au texte en vigueur.",
        "days_ago": 75,
        "status": ComplaintStatus.TRAITEE,
        "answer": "Merci pour votre signalement. La question a été corrigée par l'éditeur du "
        "module et renvoie désormais au texte en vigueur.",
        "answer_after_days": 6,
    },
    {
        "key": "room",
        "name": "Karim Exemple",
        "email": "karim.exemple@reperes.example",
        "subject_type": SubjectType.SESSION,
        "message": "La salle de la session n'était pas accessible en fauteuil roulant : "
        "une collègue n'a pas pu y assister.",
        "days_ago": 40,
        "status": ComplaintStatus.EN_COURS,
    },
    {
        "key": "guide",
        "name": "Sophie Exemple",
        "email": "sophie.exemple@reperes.example",
        "subject_type": SubjectType.GUIDE,
        "message": "Le numéro de téléphone indiqué pour la cellule de recueil semble erroné.",
        "days_ago": 120,
        "status": ComplaintStatus.CLOSE,
        "answer": "Vérification faite, le numéro est le bon : il a changé l'an dernier. "
        "Nous avons ajouté la date de mise à jour dans le guide.",
        "answer_after_days": 3,
    },
    {
        "key": "video",
        "name": "Marc Exemple",
        "email": "marc.exemple@reperes.example",
        "subject_type": SubjectType.PLATFORM,
        "message": "Sur mon téléphone, la page de la leçon met très longtemps à s'afficher.",
        "days_ago": 2,
        "status": ComplaintStatus.RECUE,
    },
]

ACTIONS = [
    {
        "title": "Relire les références juridiques des quiz à chaque révision d'un module",
        "origin": ActionOrigin.COMPLAINT,
        "complaints": ["quiz"],
        "status": ActionStatus.DONE,
        "due_in_days": -50,
        "result": "Étape ajoutée à la relecture juridique des modules.",
    },
    {
        "title": "Vérifier l'accessibilité des salles avant d'ouvrir une session",
        "origin": ActionOrigin.COMPLAINT,
        "complaints": ["room"],
        "status": ActionStatus.IN_PROGRESS,
        # Past its due date: the « en retard » filter has something to show.
        "due_in_days": -5,
    },
    {
        "title": "Raccourcir le questionnaire de satisfaction à chaud",
        "origin": ActionOrigin.COMMITTEE,
        "complaints": [],
        "status": ActionStatus.PLANNED,
        "due_in_days": 60,
    },
]


def targets():
    """The module, session and guide the examples are about (None when absent)."""
    return {
        SubjectType.MODULE: {
            "module": ModulePage.objects.live().filter(slug=DEMO_COMPLETED_MODULE_SLUG).first()
        },
        SubjectType.SESSION: {
            "session": TrainingSession.objects.filter(status=SessionStatus.FINISHED).first()
        },
        SubjectType.GUIDE: {"guide": GuidePage.objects.live().order_by("pk").first()},
    }


def ensure_demo_quality():
    """The example complaints and actions; returns how many complaints were created."""
    coordination = get_user_model().objects.filter(email=COORDINATION).first()
    if coordination is None:
        return 0
    now = timezone.now()
    found = targets()
    complaints, created = {}, 0
    for spec in COMPLAINTS:
        message = PREFIX + spec["message"]
        complaint = Complaint.objects.filter(email=spec["email"], message=message).first()
        if complaint is None:
            complaint = _file(spec, message, found, coordination, now)
            created += 1
        complaints[spec["key"]] = complaint
    for spec in ACTIONS:
        _ensure_action(spec, complaints, coordination, now)
    return created


def _file(spec, message, found, coordination, now):
    target = {key: value for key, value in found.get(spec["subject_type"], {}).items() if value}
    subject_type = (
        spec["subject_type"]
        if target
        or spec["subject_type"]
        in (
            SubjectType.PLATFORM,
            SubjectType.OTHER,
        )
        else SubjectType.OTHER
    )
    complaint = services.file_complaint(
        name=spec["name"],
        email=spec["email"],
        subject_type=subject_type,
        message=message,
        **target,
    ).complaint
    if spec["status"] != ComplaintStatus.RECUE:
        complaint = services.assign_complaint(complaint, coordination, by=coordination)
        complaint = services.change_status(complaint, ComplaintStatus.EN_COURS, by=coordination)
    if spec.get("answer"):
        complaint = services.answer_complaint(complaint, spec["answer"], by=coordination).complaint
    if spec["status"] == ComplaintStatus.CLOSE:
        complaint = services.change_status(complaint, ComplaintStatus.CLOSE, by=coordination)
    # Dated back, for the registers and the dashboard's months.
    received = now - timedelta(days=spec["days_ago"])
    answered = received + timedelta(days=spec.get("answer_after_days", 0))
    Complaint.objects.filter(pk=complaint.pk).update(
        created_at=received,
        answered_at=answered if complaint.answered_at else None,
        closed_at=answered + timedelta(days=7) if complaint.closed_at else None,
    )
    return complaint


def _ensure_action(spec, complaints, coordination, now):
    action, was_created = ImprovementAction.objects.get_or_create(
        title=spec["title"],
        defaults={
            "description": "Action d'exemple de la plateforme de démonstration.",
            "origin": spec["origin"],
            "owner": coordination,
            "status": spec["status"],
            "due_date": timezone.localdate(now) + timedelta(days=spec["due_in_days"]),
            "result": spec.get("result", ""),
            "created_at": now - timedelta(days=60),
            "done_at": now - timedelta(days=52) if spec["status"] == ActionStatus.DONE else None,
        },
    )
    if was_created:
        action.complaints.set([complaints[key] for key in spec["complaints"]])
    return action
