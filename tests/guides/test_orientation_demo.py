"""The demo « Que faire ? » path: the situations the issue names, example content,
every legal link to Légifrance, loaded twice without change."""

from django.core.management import call_command

from guides.models import OrientationOutcomePage, OrientationPage, OrientationStepPage
from guides.models.orientation import live_graph_now
from guides.orientation import parse_path
from tests.pdf_layout import page_count

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"


def test_demo_path_covers_the_situations_and_is_idempotent(db, client):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)
    assert OrientationPage.objects.count() == 1
    orientation = OrientationPage.objects.get()
    assert orientation.live and "Contenu d'exemple" in orientation.intro
    outcomes = OrientationOutcomePage.objects.live()
    titles = " ".join(outcomes.values_list("title", flat=True))
    for words in (
        "Danger immédiat",
        "prostitution",
        "C'est mon choix",
        "violences sexuelles",
        "Secret professionnel",
    ):
        assert words in titles
    assert OrientationStepPage.objects.live().count() == 3
    graph = live_graph_now(orientation.pk)
    for outcome in outcomes:
        assert "Contenu d'exemple" in outcome.summary
        for block in outcome.legal_basis:
            if block.block_type == "legifrance":
                assert block.value["url"].startswith("https://www.legifrance.gouv.fr/")
        assert outcome.url.startswith("/que-faire/")
        keys = outcome.url.removeprefix("/que-faire/").strip("/").split("/")
        assert parse_path(graph, orientation.start_step_id, keys).node.id == outcome.pk
        response = client.get(outcome.url, HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 200
        fiche = client.get(outcome.url + "fiche/", HTTP_USER_AGENT=BROWSER)
        assert page_count(b"".join(fiche.streaming_content)) == 1, outcome.title
    # Guide sections are linked by their anchors.
    suspected = outcomes.get(slug="suspicion-de-prostitution")
    html = client.get(suspected.url, HTTP_USER_AGENT=BROWSER).content.decode()
    assert "/guides/que-faire-qui-appeler/#deux-voies-de-transmission" in html
