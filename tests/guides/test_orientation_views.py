"""The « Que faire ? » path over HTTP: each step its own URL, bad paths 404, outcomes
counted per day and nothing else kept."""

import random
import string

import pytest
from django.core.cache import cache
from django.utils import timezone

from guides.models import OrientationOutcomeDailyCount
from tests.pdf_layout import page_count

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"


def get(client, url, **headers):
    return client.get(url, HTTP_USER_AGENT=BROWSER, **headers)


def test_start_shows_the_first_question(client, orientation_tree):
    response = get(client, "/que-faire/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Danger immédiat ?" in html
    assert 'href="/que-faire/oui/"' in html
    assert 'href="/que-faire/non/"' in html


def test_a_step_shows_the_answers_given_with_links_to_change_them(client, orientation_tree):
    response = get(client, "/que-faire/non/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Question q2 ?" in html
    assert 'href="/que-faire/non/choix/"' in html
    # The summary: the first question, the answer, « Modifier » back to its step.
    assert "Vos réponses" in html
    assert "Danger immédiat ?" in html
    assert 'class="orientation-summary__change" href="/que-faire/"' in html
    assert '<a href="/que-faire/">Recommencer</a>' in html


def test_an_outcome_shows_what_to_do_and_whom_to_call(client, orientation_tree):
    response = get(client, "/que-faire/non/choix/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Transmettre une IP" in html
    assert "À faire maintenant" in html
    assert 'href="/que-faire/non/choix/fiche/"' in html
    response = get(client, "/que-faire/oui/")
    assert 'href="tel:119"' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/que-faire/inconnu/",
        "/que-faire/non/inconnu/",
        "/que-faire/oui/non/",  # a segment after an outcome
        "/que-faire/choix/",  # a key of another step: out of order
        "/que-faire/q1/",  # a step's own slug is not a path
        "/que-faire/urgence/",
        "/que-faire/fiche/",  # the start is a question, not an outcome
        "/que-faire/non/fiche/",
        "/que-faire/" + "non/" * 13,
        "/que-faire/%C3%A9/",
    ],
)
def test_what_is_not_a_path_is_a_404(client, orientation_tree, url):
    assert get(client, url).status_code == 404


def test_an_unpublished_step_is_a_404(client, orientation_tree):
    # Unpublished outside the admin (whose hook refuses it while answers lead there).
    orientation_tree["q2"].unpublish()
    assert get(client, "/que-faire/non/").status_code == 404
    assert get(client, "/que-faire/non/choix/").status_code == 404
    assert get(client, "/que-faire/oui/").status_code == 200


def test_an_unpublished_path_is_a_404(client, orientation_tree):
    orientation_tree["orientation"].unpublish()
    assert get(client, "/que-faire/").status_code == 404


def test_ten_thousand_random_paths_are_404s_and_fill_no_cache(client, orientation_tree):
    get(client, "/que-faire/non/choix/")  # the graph is cached
    keys_before = len(cache._cache) if hasattr(cache, "_cache") else None
    alphabet = string.ascii_lowercase + string.digits + "-"
    rng = random.Random(16)
    known = {"oui", "non", "choix", "autre"}
    for _ in range(10_000):
        depth = rng.randint(1, 15)
        segments = [
            rng.choice([*known, "".join(rng.choices(alphabet, k=rng.randint(1, 12)))])
            for _ in range(depth)
        ]
        response = client.get("/que-faire/" + "/".join(segments) + "/")
        assert response.status_code in (200, 404)
    if keys_before is not None:
        # Only real paths may add entries (fragments of the outcomes reached).
        assert len(cache._cache) - keys_before < 20


def test_query_count_does_not_grow_with_the_path(
    client, orientation_tree, django_assert_num_queries
):
    for url in ("/que-faire/", "/que-faire/non/", "/que-faire/oui/", "/que-faire/non/choix/"):
        get(client, url)  # warm the content cache
    with django_assert_num_queries(0):
        get(client, "/que-faire/")
    with django_assert_num_queries(0):
        get(client, "/que-faire/non/")
    # An outcome: one UPDATE of the day's count, whatever the path's length.
    with django_assert_num_queries(1):
        get(client, "/que-faire/oui/")
    with django_assert_num_queries(1):
        get(client, "/que-faire/non/choix/")


def test_outcomes_reached_are_counted_per_day_and_nothing_else(client, orientation_tree):
    for _ in range(3):
        get(client, "/que-faire/non/choix/")
    get(client, "/que-faire/oui/")
    get(client, "/que-faire/non/")  # a step: not counted
    client.get("/que-faire/oui/", HTTP_USER_AGENT="curl/8")  # a robot: not counted
    # The service worker's anonymous copy, kept for offline reading: not a reading.
    get(client, "/que-faire/oui/", HTTP_X_REPERES_OFFLINE_COPY="1")
    get(client, "/que-faire/oui/fiche/", HTTP_X_REPERES_OFFLINE_COPY="1")
    rows = set(OrientationOutcomeDailyCount.objects.values_list("page_id", "day", "reached"))
    today = timezone.localdate()
    assert rows == {
        (orientation_tree["transmettre"].pk, today, 3),
        (orientation_tree["urgence"].pk, today, 1),
    }
    fields = {field.name for field in OrientationOutcomeDailyCount._meta.get_fields()}
    assert fields == {"id", "page", "day", "reached", "pdf_downloads"}


def test_an_outcome_is_not_kept_by_the_shared_page_cache(client, orientation_tree):
    response = get(client, "/que-faire/oui/")
    assert "private" in response["Cache-Control"]
    assert set(response.cookies) <= {"csrftoken"}


def test_the_fiche_is_a_one_page_pdf_stored_once(client, orientation_tree):
    from guides.models import OrientationFiche

    response = get(client, "/que-faire/non/choix/fiche/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert page_count(body) == 1
    assert OrientationFiche.objects.count() == 1
    get(client, "/que-faire/non/choix/fiche/")
    assert OrientationFiche.objects.count() == 1
    row = OrientationOutcomeDailyCount.objects.get(page=orientation_tree["transmettre"])
    assert row.pdf_downloads == 2


def test_voir_en_ligne_is_the_shortest_path(orientation_tree):
    assert orientation_tree["transmettre"].url == "/que-faire/non/choix/"
    assert orientation_tree["urgence"].url == "/que-faire/oui/"
    assert orientation_tree["q1"].url == "/que-faire/"


@pytest.mark.parametrize("name", ["q1", "urgence", "orientation"])
def test_previews_of_steps_outcomes_and_the_path_render(orientation_tree, name):
    page = orientation_tree[name]
    page = type(page).objects.get(pk=page.pk)
    response = page.make_preview_request()
    assert response.status_code == 200
    response.render()
    assert getattr(page, "question", page.title) in response.content.decode()


def test_with_the_page_cache_steps_are_cached_and_outcomes_still_counted(
    client, orientation_tree, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_ENABLED = True
    get(client, "/que-faire/non/")
    with django_assert_num_queries(0):
        second = get(client, "/que-faire/non/")
    assert "ETag" in second  # answered by the shared page cache
    for _ in range(3):
        response = get(client, "/que-faire/non/choix/")
        assert "ETag" not in response
    row = OrientationOutcomeDailyCount.objects.get(page=orientation_tree["transmettre"])
    assert row.reached == 3
