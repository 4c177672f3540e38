"""Read side of the directory of contacts (/ressources/): filters, listing, freshness."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.communes import COMMUNE_CHOICES, COMMUNES, sort_key

from .models import Contact, Need
from .opening import next_change_in, slots_of

NEED_LABELS = dict(Need.choices)
# More values than there are needs can only be made up: the rest is not even read.
MAX_NEED_VALUES = 2 * len(NEED_LABELS)


def parse_filters(query):
    """(needs, commune, ignored): the valid filter values of a GET query, in a fixed
    order, and whether some value was not recognised (it is then ignored, not an error:
    an old bookmark or a tampered link still shows the directory)."""
    values = query.getlist("besoin")
    ignored = len(values) > MAX_NEED_VALUES
    needs = set()
    for value in values[:MAX_NEED_VALUES]:
        if value in NEED_LABELS:
            needs.add(value)
        elif value:
            ignored = True
    needs = [code for code in NEED_LABELS if code in needs]
    commune = query.get("commune", "")
    if commune and commune not in COMMUNES:
        commune, ignored = "", True
    return needs, commune, ignored


def directory_contacts(needs=(), commune=""):
    """Contacts meeting one of `needs` (all without), located in `commune` or with no
    commune (national and départemental numbers serve every commune); emergencies first.
    Three queries whatever the number of contacts: contacts, needs, hours."""
    contacts = Contact.objects.prefetch_related("needs", "hours")
    if needs:
        through = Contact.needs.through.objects.filter(
            contact=OuterRef("pk"), contactneed__code__in=needs
        )
        contacts = contacts.filter(Exists(through))
    if commune:
        contacts = contacts.filter(Q(commune=commune) | Q(commune=""))
    # French order (case and accents aside: « Centre » before « CRIP »), in Python:
    # the databases' collations differ.
    return sorted(contacts, key=lambda contact: (not contact.is_emergency, sort_key(contact.name)))


def fresh_for(contacts, now):
    """Seconds the listed statuses stay right (None: no status changes, e.g. no hours)."""
    return next_change_in(((slots_of(c.hours.all()), c.always_open) for c in contacts), now)


def directory_context(request):
    needs, commune, ignored = parse_filters(request.GET)
    contacts = directory_contacts(needs, commune)
    return {
        "contacts": contacts,
        "need_choices": [(code, label, code in needs) for code, label in Need.choices],
        "commune_choices": COMMUNE_CHOICES,
        "selected_commune": commune,
        "selected_commune_name": COMMUNES.get(commune, ""),
        "is_filtered": bool(needs or commune),
        "ignored_filters": ignored,
        "fresh_for": fresh_for(contacts, timezone.now()),
    }
