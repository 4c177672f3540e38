"""Demo contacts of the directory and the directory page (/ressources/).

Only the national numbers are real (17, 112, 114, 15, 119, 3919). Local structures are
examples: their numbers come from the range ARCEP keeps for fiction (01 99 00 xx xx,
never assigned to anyone), their addresses say they are examples, and every one of them
says « Exemple : » first. Idempotent: a contact is found by its name; one that exists is
left as an editor may have changed it.
"""

import datetime
import logging

from guides.models import Contact, ContactDirectoryPage, ContactHours, ContactNeed

logger = logging.getLogger(__name__)

WEEKDAYS = range(5)  # Monday to Friday
EXAMPLE_ADDRESS = "Adresse d'exemple"
EXAMPLE_HOURS = "Horaires d'exemple."


def hours(days, *ranges):
    """[(weekday, opens, closes)] for each day and each « 9:00-12:00 » range."""
    slots = []
    for day in days:
        for text in ranges:
            opens, closes = (datetime.time.fromisoformat(part) for part in text.split("-"))
            slots.append((day, opens, closes))
    return slots


CONTACTS = [
    # --- National numbers (real) --------------------------------------------------------
    {
        "name": "17 — Police secours",
        "description": "Danger immédiat : police nationale ou gendarmerie.",
        "for_whom": "Tout le monde, partout en France",
        "phone": "17",
        "is_emergency": True,
        "always_open": True,
        "needs": ["urgence"],
    },
    {
        "name": "112 — Numéro d'urgence européen",
        "description": "Toute urgence, depuis n'importe quel téléphone, dans toute l'Union européenne.",
        "for_whom": "Tout le monde",
        "phone": "112",
        "is_emergency": True,
        "always_open": True,
        "needs": ["urgence"],
    },
    {
        "name": "114 — Urgences par SMS",
        "description": (
            "Numéro d'urgence par SMS (ou fax) pour les personnes sourdes, malentendantes "
            "ou qui ne peuvent pas parler : il alerte la police, la gendarmerie, le SAMU "
            "ou les pompiers."
        ),
        "for_whom": "Toute personne qui ne peut pas appeler",
        "phone": "114",
        "hours_note": "Par SMS ou fax, pas d'appel vocal.",
        "is_emergency": True,
        "always_open": True,
        "needs": ["urgence"],
    },
    {
        "name": "15 — SAMU",
        "description": "Urgence médicale : le SAMU conseille, oriente ou envoie une équipe.",
        "for_whom": "Tout le monde",
        "phone": "15",
        "is_emergency": True,
        "always_open": True,
        "needs": ["urgence", "soins"],
    },
    {
        "name": "119 — Allô enfance en danger",
        "description": (
            "Service national d'accueil téléphonique de l'enfance en danger : écoute, "
            "conseille et transmet au département les situations préoccupantes. Appel "
            "gratuit, n'apparaît pas sur les factures."
        ),
        "for_whom": "Les enfants et les jeunes, les adultes et les professionnel·le·s inquiet·e·s",
        "phone": "119",
        "website": "https://www.allo119.gouv.fr/",
        "is_emergency": True,
        "always_open": True,
        "needs": ["urgence", "transmettre", "conseil", "ecoute"],
    },
    {
        "name": "3919 — Violences Femmes Info",
        "description": "Écoute, information et orientation des femmes victimes de violences et de leur entourage. Appel gratuit et anonyme.",
        "for_whom": "Les femmes victimes de violences, leurs proches, les professionnel·le·s",
        "phone": "3919",
        "always_open": True,
        "needs": ["ecoute", "conseil"],
    },
    # --- Local structures (examples) ----------------------------------------------------
    {
        "name": "Cellule de recueil des informations préoccupantes (CRIP)",
        "description": (
            "Exemple : reçoit et évalue les informations préoccupantes concernant les "
            "mineur·e·s du département ; conseille les professionnel·le·s qui hésitent "
            "à transmettre."
        ),
        "for_whom": "Les professionnel·le·s et toute personne inquiète pour un·e mineur·e",
        "phone": "01 99 00 01 10",
        "email": "crip@example.org",
        "address": f"{EXAMPLE_ADDRESS} — Hôtel du Département, Bobigny",
        "hours": hours(WEEKDAYS, "09:00-17:00"),
        "needs": ["transmettre", "conseil"],
    },
    {
        "name": "Parquet des mineurs — tribunal judiciaire de Bobigny",
        "description": (
            "Exemple : reçoit les signalements lorsqu'un·e mineur·e est en danger grave "
            "ou victime d'une infraction (copie à la CRIP)."
        ),
        "for_whom": "Les professionnel·le·s qui signalent",
        "phone": "01 99 00 01 20",
        "email": "parquet-mineurs@example.org",
        "address": f"{EXAMPLE_ADDRESS} — tribunal judiciaire",
        "commune": "93008",
        "hours": hours(WEEKDAYS, "09:00-12:30", "13:30-17:30"),
        "needs": ["transmettre", "droits"],
    },
    {
        "name": "Brigade de protection des familles",
        "description": (
            "Exemple : service de police qui enquête sur les violences faites aux "
            "mineur·e·s et reçoit les plaintes des victimes et de leurs familles."
        ),
        "for_whom": "Les victimes mineures, leurs familles, les professionnel·le·s",
        "phone": "01 99 00 01 30",
        "address": f"{EXAMPLE_ADDRESS} — commissariat",
        "hours": hours(WEEKDAYS, "09:00-18:00"),
        "hours_note": "Horaires d'exemple. En dehors de ces horaires ou en cas d'urgence : le 17.",
        "needs": ["droits"],
    },
    {
        "name": "Amicale du Nid 93",
        "description": (
            "Exemple : association qui va vers les jeunes en situation de prostitution ou "
            "en risque, les accompagne et appuie les équipes qui les suivent."
        ),
        "for_whom": "Les jeunes concerné·e·s et les professionnel·le·s",
        "phone": "01 99 00 01 40",
        "email": "amicale93@example.org",
        "address": f"{EXAMPLE_ADDRESS} — 1 rue de l'Exemple",
        "commune": "93066",
        "hours": hours(WEEKDAYS, "09:30-18:00"),
        "needs": ["conseil", "ecoute", "abri"],
    },
    {
        "name": "Maison des adolescents",
        "description": (
            "Exemple : accueil libre et gratuit des 11-21 ans et de leurs parents ; "
            "écoute, santé, orientation."
        ),
        "for_whom": "Les 11-21 ans, leurs parents, les professionnel·le·s",
        "phone": "01 99 00 01 50",
        "address": f"{EXAMPLE_ADDRESS} — 2 rue de l'Exemple",
        "commune": "93010",
        "hours": [
            *hours([0, 1, 3, 4], "13:00-18:00"),
            *hours([2], "10:00-18:00"),
            *hours([5], "10:00-13:00"),
        ],
        "needs": ["ecoute", "soins"],
    },
    {
        "name": "Centre de santé sexuelle",
        "description": (
            "Exemple : consultations gratuites et confidentielles pour les mineur·e·s, "
            "sans autorisation parentale : contraception (y compris d'urgence), dépistage, "
            "écoute."
        ),
        "for_whom": "Les jeunes, sans rendez-vous aux heures d'accueil",
        "phone": "01 99 00 01 60",
        "address": f"{EXAMPLE_ADDRESS} — 3 rue de l'Exemple",
        "commune": "93048",
        "hours": [*hours([0, 2], "09:00-12:00", "14:00-17:00"), *hours([5], "09:00-12:00")],
        "needs": ["soins", "ecoute"],
    },
    {
        "name": "Consultation de psychotraumatologie",
        "description": (
            "Exemple : consultation spécialisée qui reçoit les jeunes victimes de "
            "violences, sur orientation d'un·e professionnel·le."
        ),
        "for_whom": "Les jeunes orienté·e·s par un·e professionnel·le",
        "phone": "01 99 00 01 70",
        "address": f"{EXAMPLE_ADDRESS} — centre hospitalier",
        "commune": "93066",
        "hours": hours([1, 3], "13:30-19:00"),
        "hours_note": "Horaires d'exemple. Sur rendez-vous.",
        "needs": ["soins"],
    },
]

DIRECTORY = {
    "title": "Ressources et contacts",
    "slug": "ressources",
    "intro": (
        "Qui appeler, à qui transmettre, où orienter un·e jeune. Contenu d'exemple : "
        "seuls les numéros nationaux (17, 112, 114, 15, 119, 3919) sont réels ; les "
        "structures locales, leurs numéros (réservés à la fiction), adresses et horaires "
        "sont des exemples."
    ),
}


def ensure_contacts():
    """Create the demo contacts that are missing; returns how many were created."""
    needs = {need.code: need for need in ContactNeed.objects.all()}
    existing = set(Contact.objects.values_list("name", flat=True))
    created = 0
    for spec in CONTACTS:
        if spec["name"] in existing:
            continue
        spec = dict(spec)
        slots = spec.pop("hours", [])
        codes = spec.pop("needs", [])
        if slots and "hours_note" not in spec:
            spec["hours_note"] = EXAMPLE_HOURS
        contact = Contact(**spec)
        contact.needs.set([needs[code] for code in codes])
        contact.save()
        ContactHours.objects.bulk_create(
            ContactHours(contact=contact, weekday=day, opens=opens, closes=closes, sort_order=n)
            for n, (day, opens, closes) in enumerate(slots)
        )
        created += 1
    logger.info("demo contacts created: %d", created)
    return created


def contact_ids(names):
    """The ids of demo contacts by name, in order (for a guide's contacts block)."""
    by_name = dict(Contact.objects.filter(name__in=names).values_list("name", "pk"))
    return [by_name[name] for name in names if name in by_name]


def ensure_contact_directory(home):
    """(page, created): the directory page under the home page, published once."""
    page = ContactDirectoryPage.objects.child_of(home).first()
    if page is not None:
        return page, False
    page = ContactDirectoryPage(**DIRECTORY)
    home.add_child(instance=page)
    page.save_revision().publish()
    return page, True
