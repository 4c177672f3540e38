"""load_demo adds a few sober example complaints and actions, once."""

import pytest

from quality.models import Complaint, ImprovementAction
from tests.demo.test_load_demo import load

pytestmark = pytest.mark.django_db


def test_examples_are_loaded_once_and_marked(settings):
    settings.DEBUG = True
    output = load()
    assert "Réclamations d'exemple : 4 créées." in output
    references = set(Complaint.objects.values_list("reference", flat=True))

    again = load()

    # « créée » once the French catalogue has the new msgid (plural rule n > 1).
    assert "Réclamations d'exemple : 0 créé" in again
    assert set(Complaint.objects.values_list("reference", flat=True)) == references
    assert ImprovementAction.objects.count() == 3
    assert all(c.message.startswith("[Exemple] ") for c in Complaint.objects.all())
    assert all(c.email.endswith("@reperes.example") for c in Complaint.objects.all())
    statuses = sorted(Complaint.objects.values_list("status", flat=True))
    assert statuses == ["close", "en_cours", "recue", "traitee"]
    subjects = {c.subject_type: c for c in Complaint.objects.all()}
    assert subjects["module"].module is not None
    assert subjects["session"].session is not None
    assert subjects["guide"].guide is not None
    assert ImprovementAction.objects.overdue().count() == 1
    assert ImprovementAction.objects.filter(complaints__isnull=False).distinct().count() == 2
