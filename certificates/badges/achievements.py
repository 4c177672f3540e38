"""What a badge certifies: one `Achievement` per module or per in-person session.

The same object is embedded in every credential of that module or session (built
from the certificate's snapshot, as issued) and served at its `id` (built from the
published module or session, as it is now: certificates/badges/views.py). Both go
through `achievement_json`, with the same rules, so they agree as long as the
module is not edited. Nothing personal: it describes what is required, not who did it.

The texts are French whatever the language of the request: a credential is a
document issued once, in the platform's language (like the PDF).
"""

import uuid
from dataclasses import dataclass

from django.utils import translation
from django.utils.text import Truncator

from certificates.models import CertificateKind
from courses.models.pages import format_duration

from . import links

#: Namespace of the name-based UUIDs (RFC 9562 v5) this package derives: subjects,
#: publishers, achievements whose module or session was deleted. Never change it.
BADGES_NAMESPACE = uuid.UUID("b66388d7-905a-433f-9e51-aececc5cc972")

#: Open Badges 3.0 `achievementType` vocabulary.
ACHIEVEMENT_TYPES = {
    CertificateKind.COMPLETION: "CertificateOfCompletion",  # attestation de fin de formation
    CertificateKind.ACHIEVEMENT: "Certificate",  # certificat de réalisation (présentiel)
}


@dataclass(frozen=True)
class AchievementFacts:
    kind: str
    url: str
    name: str
    objectives: str
    publisher_name: str
    planned_minutes: int


def name_based_urn(*parts) -> str:
    return f"urn:uuid:{uuid.uuid5(BADGES_NAMESPACE, ':'.join(str(p) for p in parts))}"


def duration_fr(minutes) -> str:
    with translation.override("fr"):
        return str(format_duration(minutes))


def hours(minutes) -> float:
    return round((minutes or 0) / 60, 2)


def criteria_narrative(facts: AchievementFacts) -> str:
    if facts.kind == CertificateKind.COMPLETION:
        text = (
            f"Avoir suivi toutes les leçons du module de formation en ligne « {facts.name} » "
            "et réussi son quiz final."
        )
        if facts.planned_minutes:
            text += f" Durée estimée : {duration_fr(facts.planned_minutes)}."
        return text
    text = f"Avoir assisté à la session de formation en présentiel « {facts.name} »"
    if facts.planned_minutes:
        text += f", d'une durée prévue de {duration_fr(facts.planned_minutes)}"
    return text + (
        ", la présence étant relevée par demi-journée ; les heures de présence effective "
        "sont celles du certificat de réalisation (creditsEarned)."
    )


def description(facts: AchievementFacts) -> str:
    if facts.objectives:
        return f"Objectifs : {facts.objectives}"
    if facts.kind == CertificateKind.COMPLETION:
        return f"Module de formation en ligne « {facts.name} »."
    return f"Session de formation en présentiel « {facts.name} »."


def creator_profile(publisher_name: str) -> dict:
    """The publisher (or the session's organiser) as an Open Badges `Profile`.

    Publishers have no page of their own on the platform: their id is a name-based
    URN, stable for a given name.
    """
    return {
        "id": name_based_urn("publisher", publisher_name),
        "type": ["Profile"],
        "name": publisher_name,
    }


def achievement_json(facts: AchievementFacts) -> dict:
    data = {
        "id": facts.url,
        "type": ["Achievement"],
        "achievementType": ACHIEVEMENT_TYPES[facts.kind],
        "name": facts.name,
        "description": description(facts),
        "criteria": {"narrative": criteria_narrative(facts)},
        "inLanguage": "fr",
    }
    if facts.publisher_name:
        data["creator"] = creator_profile(facts.publisher_name)
    if facts.planned_minutes:
        data["creditsAvailable"] = hours(facts.planned_minutes)
    return data


# --- Where the facts come from --------------------------------------------------------


def objectives_summary(html) -> str:
    """The objectives as a certificate's snapshot keeps them (same rule, same length)."""
    from certificates.services import OBJECTIVES_SUMMARY_LENGTH, objectives_text

    return Truncator(objectives_text(html)).chars(OBJECTIVES_SUMMARY_LENGTH)


def achievement_url(certificate) -> str:
    """The module's or the session's achievement; a name-based URN once it was deleted
    (the certificate keeps its snapshot; there is nothing left to serve)."""
    if certificate.kind == CertificateKind.COMPLETION and certificate.module_id:
        return links.module_achievement_url(certificate.module_id)
    if certificate.kind == CertificateKind.ACHIEVEMENT and certificate.session_id:
        return links.session_achievement_url(certificate.session_id)
    return name_based_urn("achievement", certificate.kind, certificate.title)


def facts_of_certificate(certificate) -> AchievementFacts:
    return AchievementFacts(
        kind=certificate.kind,
        url=achievement_url(certificate),
        name=certificate.title,
        objectives=" ".join(certificate.objectives_summary.split()),
        publisher_name=certificate.publisher_name,
        planned_minutes=certificate.planned_minutes,
    )


def facts_of_module(module) -> AchievementFacts:
    return AchievementFacts(
        kind=CertificateKind.COMPLETION,
        url=links.module_achievement_url(module.pk),
        name=module.title,
        objectives=" ".join(objectives_summary(module.objectives).split()),
        publisher_name=module.publisher.name if module.publisher else "",
        planned_minutes=module.duration_total_minutes,
    )


def facts_of_session(session) -> AchievementFacts:
    module = session.module
    return AchievementFacts(
        kind=CertificateKind.ACHIEVEMENT,
        url=links.session_achievement_url(session.pk),
        name=session.title,
        objectives=" ".join(objectives_summary(module.objectives).split()) if module else "",
        publisher_name=session.organiser.name,
        planned_minutes=session.planned_minutes,
    )
