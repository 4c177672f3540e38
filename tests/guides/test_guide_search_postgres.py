"""Full-text search on PostgreSQL: French stemming and accented words."""

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def titles(response):
    return [guide.title for guide in response.context["guides"]]


def test_french_stemming_and_accents(client, make_guide):
    make_guide(
        title="Transmettre une information préoccupante",
        summary="Les signalements adressés au procureur de la République.",
        full_body=False,
    )
    make_guide(title="Repérer les signes", summary="Absences, cadeaux.", full_body=False)
    # Singular finds plural (stemming), accented words match.
    assert titles(client.get("/guides/", {"q": "signalement"})) == [
        "Transmettre une information préoccupante"
    ]
    assert titles(client.get("/guides/", {"q": "préoccupantes"})) == [
        "Transmettre une information préoccupante"
    ]
    assert titles(client.get("/guides/", {"q": "adressé"})) == [
        "Transmettre une information préoccupante"
    ]
