"""Roles are Django groups, created by a data migration (0002_roles)."""

from django.utils.translation import gettext_lazy as _

PROFESSIONNEL = "Professionnel·le"
FORMATEUR = "Formateur·rice"
REDACTEUR = "Rédacteur·rice"
RELECTEUR_JURIDIQUE = "Relecteur·rice juridique"
COORDINATION = "Coordination"

ALL_ROLES = [PROFESSIONNEL, FORMATEUR, REDACTEUR, RELECTEUR_JURIDIQUE, COORDINATION]
STAFF_ROLES = [FORMATEUR, REDACTEUR, RELECTEUR_JURIDIQUE, COORDINATION]

ROLE_LABELS = {
    PROFESSIONNEL: _("Professionnel·le"),
    FORMATEUR: _("Formateur·rice"),
    REDACTEUR: _("Rédacteur·rice"),
    RELECTEUR_JURIDIQUE: _("Relecteur·rice juridique"),
    COORDINATION: _("Coordination"),
}


def is_coordination(user):
    """Coordination, or a superuser: every session, certificates by hand, the audit log.

    Reads `user.groups.all()`, so a user whose groups were prefetched (the trainer
    area does it once per request) costs no further query.
    """
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or any(group.name == COORDINATION for group in user.groups.all())
