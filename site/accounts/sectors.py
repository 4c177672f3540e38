"""The fixed sector vocabulary: which institution a professional works for.

Asked at signup and in the profile (optional) so that the figures of the plan can say
which trades the training reaches (pilotage). The values are stable keys: labels may
change, stored rows do not.
"""

from django.db import models
from django.utils.translation import pgettext_lazy


class Sector(models.TextChoices):
    EDUCATION_NATIONALE = "education_nationale", pgettext_lazy("secteur", "Éducation nationale")
    ASE = "ase_departement", pgettext_lazy("secteur", "ASE / Département")
    SANTE = "sante", pgettext_lazy("secteur", "Santé")
    JUSTICE = "justice", pgettext_lazy("secteur", "Justice")
    POLICE = "police_gendarmerie", pgettext_lazy("secteur", "Police – gendarmerie")
    ASSOCIATION = "association", pgettext_lazy("secteur", "Association")
    COLLECTIVITE = "collectivite", pgettext_lazy("secteur", "Collectivité")
    AUTRE = "autre", pgettext_lazy("secteur", "Autre")
