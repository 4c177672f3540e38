"""Search page: results, pagination, empty and no-result states, long queries."""

import pytest

from home.views import MAX_QUERY_LENGTH

from .factories import StandardPageFactory

pytestmark = pytest.mark.django_db


def test_search_finds_live_pages_by_an_accented_word(client):
    StandardPageFactory(
        title="Signaler une situation",
        slug="signaler",
        search_description="Quand et comment alerter le procureur.",
        body="<p>Un élève se confie : l'information préoccupante va à la CRIP.</p>",
    )
    StandardPageFactory(title="Sans rapport", slug="sans-rapport", body="<p>Horaires.</p>")
    response = client.get("/recherche/", {"q": "préoccupante"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/signaler/">Signaler une situation</a>' in html
    assert "Quand et comment alerter le procureur." in html
    assert "Sans rapport" not in html
    assert "1 résultat pour « préoccupante »" in html


def test_search_leaves_out_unpublished_pages(client):
    draft = StandardPageFactory(title="Brouillon confidentiel", slug="brouillon")
    draft.unpublish()
    html = client.get("/recherche/", {"q": "confidentiel"}).content.decode()
    assert "/brouillon/" not in html
    assert "Aucune page ne correspond à cette recherche." in html


def test_search_without_query_shows_the_form_only(client):
    response = client.get("/recherche/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html
    assert "Saisissez un ou plusieurs mots" in html
    # No count of results (the footer's « Nos résultats » link is another matter).
    assert " résultat pour " not in html and " résultats pour " not in html
    assert response.context.get("page_obj") is None


def test_search_caps_a_long_query(client):
    response = client.get("/recherche/", {"q": "mineur " * 200})
    assert response.status_code == 200
    assert len(response.context["query"]) <= MAX_QUERY_LENGTH


def test_search_paginates_and_keeps_the_query(client, django_assert_max_num_queries):
    for number in range(12):
        StandardPageFactory(title=f"Guide de l'orientation {number}", slug=f"orientation-{number}")
    client.get("/recherche/", {"q": "orientation"})  # warm Wagtail's site-root cache
    with django_assert_max_num_queries(10):
        response = client.get("/recherche/", {"q": "orientation", "page": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert "12 résultats pour « orientation »" in html
    assert html.count('class="search-results__item"') == 2
    assert "?q=orientation&amp;page=1" in html
    assert 'aria-label="Pagination"' in html


def test_search_query_count_does_not_grow_with_results(client, django_assert_max_num_queries):
    for number in range(3):
        StandardPageFactory(title=f"Protection {number}", slug=f"protection-{number}")
    client.get("/recherche/", {"q": "protection"})
    with django_assert_max_num_queries(10) as few:
        client.get("/recherche/", {"q": "protection"})
    # Read now: the query log is a bounded deque, later queries shift its indexes.
    few_queries = len(few.captured_queries)
    for number in range(3, 10):
        StandardPageFactory(title=f"Protection {number}", slug=f"protection-{number}")
    client.get("/recherche/", {"q": "protection"})  # new pages: the shell's cache is rebuilt
    with django_assert_max_num_queries(few_queries):
        client.get("/recherche/", {"q": "protection"})


def test_search_lists_every_page_type_with_its_summary(client):
    """Modules, lessons and guides name their summary differently; none breaks the page."""
    from tests.courses.factories import build_module

    _module, (lesson, _), _quiz = build_module(title="Module zèbre", summary="Résumé du module.")
    lesson.title = "Leçon zèbre"
    lesson.intro = "Introduction de la leçon."
    lesson.save_revision().publish()
    response = client.get("/recherche/", {"q": "zèbre"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Module zèbre" in html and "Résumé du module." in html
    assert "Leçon zèbre" in html and "Introduction de la leçon." in html


def test_no_result_is_said_in_the_singular_in_french(client):
    """French uses the singular for 0 and 1 (locale/fr carries the plural rule)."""
    response = client.get("/recherche/", {"q": "introuvable"})
    html = response.content.decode()
    assert "0 résultat pour « introuvable »" in html
    assert "0 résultats" not in html
