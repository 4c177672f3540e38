"""The fixed profession vocabulary: signup, profiles, and content audiences."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Profession(models.TextChoices):
    ENSEIGNANT = "enseignant", pgettext_lazy("profession", "Enseignant·e")
    CPE = "cpe", pgettext_lazy("profession", "CPE")
    INFIRMIER_SCOLAIRE = "infirmier-scolaire", pgettext_lazy("profession", "Infirmier·e scolaire")
    ASSISTANT_SOCIAL = "assistant-social", pgettext_lazy("profession", "Assistant·e social·e")
    EDUCATEUR = "educateur", pgettext_lazy("profession", "Éducateur·rice")
    MEDECIN = "medecin", pgettext_lazy("profession", "Médecin")
    PSYCHOLOGUE = "psychologue", pgettext_lazy("profession", "Psychologue")
    POLICE_GENDARMERIE = "police-gendarmerie", pgettext_lazy("profession", "Policier·e / gendarme")
    MAGISTRAT = "magistrat", pgettext_lazy("profession", "Magistrat·e")
    ASSOCIATIF = "associatif", pgettext_lazy("profession", "Personnel associatif")
    AUTRE = "autre", pgettext_lazy("profession", "Autre")
