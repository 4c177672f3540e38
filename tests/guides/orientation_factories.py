"""Building « Que faire ? » trees for tests: pages created and published from the
bottom up, as the rules require (an answer leads to a published page)."""

from guides.models import (
    Contact,
    OrientationAnswer,
    OrientationOutcomeContact,
    OrientationOutcomePage,
    OrientationPage,
    OrientationStepPage,
)
from guides.setup import ensure_editorial_setup
from home.models import HomePage


def make_orientation(publish=True):
    home = HomePage.objects.first()
    orientation = OrientationPage(
        title="Que faire ?", slug="que-faire", intro="Quelques questions."
    )
    home.add_child(instance=orientation)
    if publish:
        orientation.save_revision().publish()
    ensure_editorial_setup(orientation)
    return orientation


def make_outcome(orientation, slug, publish=True, contacts=(), **fields):
    page = OrientationOutcomePage(
        title=fields.pop("title", f"Issue {slug}"),
        slug=slug,
        summary=fields.pop("summary", "Ce qu'il faut faire."),
        do_now=[{"type": "item", "value": "Noter les mots du ou de la jeune."}],
        do_not=[{"type": "item", "value": "Ne pas confronter."}],
        transmit="<p>Une information préoccupante à la CRIP.</p>",
        **fields,
    )
    page.outcome_contacts = [OrientationOutcomeContact(contact=contact) for contact in contacts]
    page.live = publish  # a draft, as the admin creates it
    orientation.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def make_step(orientation, slug, answers, publish=True, question=None):
    """`answers`: [(label, key, target page)]."""
    page = OrientationStepPage(
        title=f"Étape {slug}", slug=slug, question=question or f"Question {slug} ?"
    )
    page.answers = [
        OrientationAnswer(label=label, key=key, target=target) for label, key, target in answers
    ]
    page.live = publish
    orientation.add_child(instance=page)
    if publish:
        page.save_revision().publish()
    return page


def set_start(orientation, step):
    orientation.start_step = step
    orientation.save_revision().publish()
    orientation.refresh_from_db()


def build_tree():
    orientation = make_orientation()
    contact = Contact.objects.create(
        name="119 — Allô enfance en danger",
        description="Écoute et conseil.",
        phone="119",
        always_open=True,
    )
    urgence = make_outcome(orientation, "urgence", title="Appeler le 17", contacts=[contact])
    transmettre = make_outcome(orientation, "transmettre", title="Transmettre une IP")
    q2 = make_step(
        orientation,
        "q2",
        [("Il ou elle dit que c'est son choix", "choix", transmettre), ("Autre", "autre", urgence)],
    )
    q1 = make_step(
        orientation,
        "q1",
        [("Oui, danger immédiat", "oui", urgence), ("Non", "non", q2)],
        question="Danger immédiat ?",
    )
    set_start(orientation, q1)
    return {
        "orientation": orientation,
        "q1": q1,
        "q2": q2,
        "urgence": urgence,
        "transmettre": transmettre,
        "contact": contact,
    }
