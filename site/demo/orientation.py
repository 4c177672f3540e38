"""Demo « Que faire ? » path: five outcomes, three questions; contacts from the directory.

Contenu d'exemple, sober and factual, written against the demo guides (their sections
are linked by anchor) and citing only the Légifrance addresses already used by the demo
guides (`demo.content`). Idempotent: an existing path is left as the editors made it.
"""

import datetime

from django.utils import timezone

from guides.models import (
    Contact,
    GuidePage,
    OrientationAnswer,
    OrientationOutcomeContact,
    OrientationOutcomePage,
    OrientationPage,
    OrientationStepPage,
)
from guides.setup import ensure_editorial_setup

from .contacts import ensure_contacts
from .content import LEGIFRANCE_CASF, LEGIFRANCE_CODE_PENAL, LEGIFRANCE_CPP

EXAMPLE = "Contenu d'exemple."

GUIDE_LAW = "ce-que-dit-la-loi"
GUIDE_WHAT_TO_DO = "que-faire-qui-appeler"
GUIDE_CHOICE = "quand-le-jeune-dit-que-c-est-son-choix"
GUIDE_SHARING = "secret-professionnel-et-partage"

OUTCOMES = [
    {
        "key": "danger",
        "title": "Danger immédiat : alerter les secours",
        "slug": "danger-immediat",
        "summary": (
            "Le ou la jeune est en danger maintenant : la priorité est sa mise en sécurité. "
            "La transmission écrite vient ensuite. " + EXAMPLE
        ),
        "do_now": [
            "Appeler le 17 ou le 112 et décrire la situation, le lieu, l'âge du ou de la jeune.",
            "Rester auprès du ou de la jeune si c'est possible sans vous mettre en danger.",
            "Prévenir votre responsable hiérarchique.",
            "Une fois l'urgence passée, adresser un signalement écrit au procureur de la République.",
        ],
        "do_not": [
            "Ne pas confronter l'adulte suspecté.",
            "Ne pas intervenir physiquement à la place des secours.",
            "Ne pas promettre au ou à la jeune de garder le secret.",
        ],
        "contacts": ["17 — Police secours", "112 — Numéro d'urgence européen"],
        "transmit": (
            "<p>Après l'intervention des secours : un <b>signalement</b> écrit au procureur "
            "de la République (parquet des mineurs), avec copie à la cellule de recueil des "
            "informations préoccupantes.</p>"
        ),
        "legal": [
            ("guide", GUIDE_WHAT_TO_DO, "Deux voies de transmission", ""),
            (
                "legifrance",
                "Code de l'action sociale et des familles, article L. 226-4",
                LEGIFRANCE_CASF,
            ),
            ("legifrance", "Code de procédure pénale, article 40", LEGIFRANCE_CPP),
        ],
    },
    {
        "key": "suspected",
        "title": "Suspicion de prostitution : transmettre une information préoccupante",
        "slug": "suspicion-de-prostitution",
        "summary": (
            "Des signes vous font penser que le ou la jeune est en situation de prostitution. "
            "Vous n'avez pas à en être certain·e : l'évaluation revient à la cellule de recueil "
            "des informations préoccupantes. " + EXAMPLE
        ),
        "do_now": [
            "Noter les faits observés et les mots du ou de la jeune, tels qu'ils ont été dits.",
            "En parler à votre responsable ou à l'équipe, dans le cadre du secret partagé.",
            "Transmettre une information préoccupante à la cellule de recueil du département.",
            "Proposer au ou à la jeune un contact d'écoute et lui dire ce que vous allez faire.",
        ],
        "do_not": [
            "Ne pas mener d'enquête ni chercher des preuves.",
            "Ne pas confronter le ou la jeune à des affirmations ou à des images.",
            "Ne pas contacter l'adulte suspecté.",
        ],
        "contacts": [
            "Cellule de recueil des informations préoccupantes (CRIP)",
            "119 — Allô enfance en danger",
            "Amicale du Nid 93",
        ],
        "transmit": (
            "<p>Une <b>information préoccupante</b> à la cellule de recueil des informations "
            "préoccupantes : les faits datés, les mots du ou de la jeune, ce qui a déjà été "
            "fait. Si le danger est grave, un <b>signalement</b> au procureur de la "
            "République.</p>"
        ),
        "legal": [
            ("guide", GUIDE_LAW, "Un·e mineur·e en situation de prostitution est en danger", ""),
            ("guide", GUIDE_WHAT_TO_DO, "Deux voies de transmission", ""),
            (
                "legifrance",
                "Code de l'action sociale et des familles, articles L. 226-2-1 et L. 226-3",
                LEGIFRANCE_CASF,
            ),
        ],
    },
    {
        "key": "choice",
        "title": "« C'est mon choix » : un·e mineur·e reste protégé·e",
        "slug": "c-est-mon-choix",
        "summary": (
            "Le discours du choix est fréquent. La loi ne fait pas dépendre la protection "
            "d'un·e mineur·e de son consentement : la transmission reste nécessaire. " + EXAMPLE
        ),
        "do_now": [
            "Écouter sans juger et garder le lien.",
            "Noter les mots du ou de la jeune, tels qu'ils ont été dits.",
            "Transmettre une information préoccupante, en expliquant au ou à la jeune pourquoi.",
        ],
        "do_not": [
            "Ne pas chercher à le ou la convaincre qu'il ou elle est victime.",
            "Ne pas faire de la transmission une sanction.",
            "Ne pas renoncer à transmettre parce que le ou la jeune se dit d'accord.",
        ],
        "contacts": [
            "Cellule de recueil des informations préoccupantes (CRIP)",
            "Amicale du Nid 93",
        ],
        "transmit": (
            "<p>Une <b>information préoccupante</b> à la cellule de recueil, qui mentionne le "
            "discours du ou de la jeune tel qu'il a été tenu.</p>"
        ),
        "legal": [
            ("guide", GUIDE_CHOICE, "Le discours du choix", ""),
            ("guide", GUIDE_LAW, "Un·e mineur·e en situation de prostitution est en danger", ""),
            ("legifrance", "Code pénal, article 225-12-1", LEGIFRANCE_CODE_PENAL),
        ],
    },
    {
        "key": "disclosure",
        "title": "Révélation de violences sexuelles : signaler au procureur",
        "slug": "revelation-de-violences-sexuelles",
        "summary": (
            "Le ou la jeune vous a confié des violences sexuelles. Ces faits relèvent d'un "
            "signalement au procureur de la République. " + EXAMPLE
        ),
        "do_now": [
            "Écouter, croire, dire au ou à la jeune qu'il ou elle a bien fait de parler.",
            "Noter ses mots exacts, entre guillemets, avec la date et l'heure.",
            "Informer votre responsable et adresser un signalement au procureur de la République.",
            "Si le danger est immédiat, appeler le 17.",
        ],
        "do_not": [
            "Ne pas poser de questions orientées ni faire répéter le récit.",
            "Ne pas confronter l'auteur présumé ni la famille si elle peut être en cause.",
            "Ne pas promettre le secret.",
        ],
        "contacts": [
            "Parquet des mineurs — tribunal judiciaire de Bobigny",
            "17 — Police secours",
            "119 — Allô enfance en danger",
        ],
        "transmit": (
            "<p>Un <b>signalement</b> écrit au procureur de la République (parquet des "
            "mineurs), avec copie à la cellule de recueil des informations préoccupantes.</p>"
        ),
        "legal": [
            ("guide", GUIDE_WHAT_TO_DO, "Deux voies de transmission", ""),
            ("legifrance", "Code de procédure pénale, article 40", LEGIFRANCE_CPP),
            ("legifrance", "Code pénal, article 226-14", LEGIFRANCE_CODE_PENAL),
        ],
    },
    {
        "key": "secret",
        "title": "Secret professionnel : ce que vous pouvez partager",
        "slug": "secret-professionnel",
        "summary": (
            "Le secret professionnel n'empêche pas de protéger un·e mineur·e : la loi prévoit "
            "le partage d'informations entre professionnel·le·s et la transmission aux "
            "autorités. " + EXAMPLE
        ),
        "do_now": [
            "Partager avec les professionnel·le·s concerné·e·s ce qui est strictement "
            "nécessaire à la protection du ou de la jeune.",
            "En cas de doute, demander conseil à la cellule de recueil ou au 119.",
            "Informer le ou la jeune et ses parents du partage, sauf si c'est contraire à "
            "son intérêt.",
        ],
        "do_not": [
            "Ne pas transmettre plus que ce qui est utile à la protection.",
            "Ne pas attendre une certitude pour demander conseil.",
        ],
        "contacts": [
            "119 — Allô enfance en danger",
            "Cellule de recueil des informations préoccupantes (CRIP)",
        ],
        "transmit": (
            "<p>Une <b>information préoccupante</b> à la cellule de recueil : le partage avec "
            "elle est prévu par la loi.</p>"
        ),
        "legal": [
            ("guide", GUIDE_SHARING, "Le partage d'informations à caractère secret", ""),
            (
                "legifrance",
                "Code de l'action sociale et des familles, article L. 226-2-2",
                LEGIFRANCE_CASF,
            ),
            ("legifrance", "Code pénal, article 226-14", LEGIFRANCE_CODE_PENAL),
        ],
    },
]

# Built from the last question up, so that every answer leads to a published page.
STEPS = [
    {
        "key": "words",
        "title": "Ce que dit le ou la jeune",
        "slug": "ce-que-dit-le-jeune",
        "question": "Comment le ou la jeune en parle-t-il·elle ?",
        "help_text": "Choisissez ce qui se rapproche le plus de ce que vous avez entendu.",
        "answers": [
            ("Il ou elle ne dit rien, ou nie", "rien-ou-nie", "suspected"),
            ("Il ou elle dit que « c'est son choix »", "c-est-son-choix", "choice"),
            ("Il ou elle parle de violences ou de contraintes", "violences", "disclosure"),
        ],
    },
    {
        "key": "worry",
        "title": "Ce qui vous inquiète",
        "slug": "ce-qui-vous-inquiete",
        "question": "Qu'est-ce qui vous inquiète ?",
        "help_text": "",
        "answers": [
            ("Des signes qui font penser à de la prostitution", "signes", "words"),
            ("Le ou la jeune m'a confié des violences sexuelles", "confidences", "disclosure"),
            ("Je ne sais pas ce que je peux partager (secret professionnel)", "secret", "secret"),
        ],
    },
    {
        "key": "start",
        "title": "Danger immédiat ?",
        "slug": "danger",
        "question": "Le ou la jeune est-il·elle en danger immédiat ?",
        "help_text": (
            "Par exemple : violence en cours, rendez-vous imminent avec un adulte, "
            "disparition, détresse grave."
        ),
        "answers": [
            ("Oui, en danger maintenant", "oui", "danger"),
            ("Non, mais la situation m'inquiète", "non", "worry"),
            ("Je ne sais pas ce que je peux partager (secret professionnel)", "secret", "secret"),
        ],
    },
]


def outcome_contacts():
    """The directory's demo contacts (`demo.contacts`) the outcomes name, by name."""
    ensure_contacts()
    names = {name for spec in OUTCOMES for name in spec["contacts"]}
    return {contact.name: contact for contact in Contact.objects.filter(name__in=names)}


def _legal_blocks(specs):
    """Blocks of the legal basis; a guide section is found by its heading's text in the
    demo guide (its anchor as the guide computes it)."""
    guides = {guide.slug: guide for guide in GuidePage.objects.all()}
    blocks = []
    for kind, first, second, label in [(*spec, "")[:4] for spec in specs]:
        if kind == "guide":
            guide = guides.get(first)
            if guide is None:
                continue
            anchors = {text: anchor for anchor, text, _level in guide.table_of_contents()}
            if second in anchors:
                label = label or f"{guide.title} — {second}"
                value = {"guide": guide.pk, "anchor": anchors[second], "label": label}
                blocks.append({"type": "guide_section", "value": value})
        else:
            blocks.append({"type": "legifrance", "value": {"title": first, "url": second}})
    return blocks


def _review_dates():
    today = timezone.localdate()
    return {
        "last_legal_review": today - datetime.timedelta(days=30),
        "next_review_due": today + datetime.timedelta(days=335),
    }


def _add_outcome(orientation, spec, contacts):
    page = OrientationOutcomePage(
        title=spec["title"],
        slug=spec["slug"],
        summary=spec["summary"],
        do_now=[{"type": "item", "value": item} for item in spec["do_now"]],
        do_not=[{"type": "item", "value": item} for item in spec["do_not"]],
        transmit=spec["transmit"],
        legal_basis=_legal_blocks(spec["legal"]),
        **_review_dates(),
    )
    page.outcome_contacts = [
        OrientationOutcomeContact(contact=contacts[name]) for name in spec["contacts"]
    ]
    orientation.add_child(instance=page)
    page.save_revision().publish()
    return page


def _add_step(orientation, spec, nodes):
    page = OrientationStepPage(
        title=spec["title"],
        slug=spec["slug"],
        question=spec["question"],
        help_text=spec["help_text"],
        **_review_dates(),
    )
    page.answers = [
        OrientationAnswer(label=label, key=key, target=nodes[target])
        for label, key, target in spec["answers"]
    ]
    orientation.add_child(instance=page)
    page.save_revision().publish()
    return page


def ensure_orientation(home):
    """The « Que faire ? » path under `home`, created once and published."""
    orientation = OrientationPage.objects.child_of(home).first()
    if orientation is not None:
        ensure_editorial_setup(orientation)
        return orientation, False
    orientation = OrientationPage(
        title="Que faire ?",
        slug="que-faire",
        intro=(
            "Une situation vous inquiète ? Quelques questions pour savoir quoi faire "
            "maintenant, qui appeler et quoi transmettre. Rien de ce que vous choisissez "
            "n'est enregistré. " + EXAMPLE
        ),
    )
    home.add_child(instance=orientation)
    contacts = outcome_contacts()
    nodes = {spec["key"]: _add_outcome(orientation, spec, contacts) for spec in OUTCOMES}
    for spec in STEPS:
        nodes[spec["key"]] = _add_step(orientation, spec, nodes)
    orientation.start_step = nodes["start"]
    orientation.save_revision().publish()
    ensure_editorial_setup(orientation)
    return orientation, True
