"""The guide index: filters, search, pagination; constant SQL queries."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag

from accounts.models import Audience
from guides.models import GuidePage


def titles(response):
    return [guide.title for guide in response.context["guides"]]


def test_filter_by_audience(client, make_guide, audience):
    make_guide(title="Pour les CPE", audiences=[audience("cpe")], full_body=False)
    make_guide(title="Pour les magistrat·e·s", audiences=[audience("magistrat")], full_body=False)
    response = client.get("/guides/", {"public": "magistrat"})
    assert titles(response) == ["Pour les magistrat·e·s"]


def test_filter_by_topic(client, make_guide):
    make_guide(title="Signaler", topics=["signalement", "crip"], full_body=False)
    make_guide(title="La loi", topics=["loi"], full_body=False)
    response = client.get("/guides/", {"theme": "crip"})
    assert titles(response) == ["Signaler"]
    html = response.content.decode()
    assert '<option value="crip" selected>crip</option>' in html


def test_unknown_filter_values_show_everything(client, make_guide):
    make_guide(title="Un guide", full_body=False)
    response = client.get("/guides/", {"public": "inconnu", "theme": "nope"})
    assert response.status_code == 200
    assert titles(response) == ["Un guide"]


def test_search_within_guides(client, make_guide, audience):
    make_guide(title="Signalement au procureur", summary="La procédure pénale.", full_body=False)
    make_guide(
        title="Repérer les signes",
        summary="Absences, cadeaux.",
        full_body=False,
        audiences=[audience("cpe")],
    )
    response = client.get("/guides/", {"q": "procureur"})
    assert titles(response) == ["Signalement au procureur"]
    # Search combines with filters.
    response = client.get("/guides/", {"q": "procureur", "public": "cpe"})
    assert titles(response) == []
    assert "Aucun guide ne correspond" in response.content.decode()


def test_search_finds_body_text(client, make_guide):
    make_guide(title="Ce que dit la loi", body__1__paragraph__value="<p>Le proxénétisme</p>")
    make_guide(title="Autre", full_body=False)
    response = client.get("/guides/", {"q": "proxénétisme"})
    assert titles(response) == ["Ce que dit la loi"]


def test_pagination_keeps_filters(client, make_guide):
    for number in range(12):
        make_guide(title=f"Guide {number:02d}", topics=["loi"], full_body=False)
    first = client.get("/guides/", {"theme": "loi"})
    assert len(titles(first)) == 10
    assert 'href="?theme=loi&amp;page=2"' in first.content.decode()
    second = client.get("/guides/", {"theme": "loi", "page": 2})
    assert titles(second) == ["Guide 10", "Guide 11"]
    # An out-of-range page shows the last page rather than an error.
    assert client.get("/guides/", {"page": 99}).context["page_obj"].number == 2


def test_drafts_are_not_listed(client, make_guide):
    make_guide(title="Brouillon", live=False, full_body=False)
    make_guide(title="Publié", full_body=False)
    assert titles(client.get("/guides/")) == ["Publié"]


def make_many(make_guide, count):
    audiences = list(Audience.objects.all()[:3])
    for number in range(count):
        make_guide(
            title=f"Guide {number:02d}",
            topics=[f"thème {number % 4}", "commun"],
            audiences=audiences,
        )


def count_queries(client, url):
    # One request first so that per-process caches (site root paths) are warm, as in
    # production.
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_kind", ["index", "guide"])
def test_constant_queries_whatever_the_number_of_guides(
    client, make_guide, url_kind, django_assert_max_num_queries
):
    make_many(make_guide, 3)
    url = "/guides/" if url_kind == "index" else GuidePage.objects.get(title="Guide 00").url
    few = count_queries(client, url)
    with django_assert_max_num_queries(12):
        client.get(url)
    make_many(make_guide, 12)
    many = count_queries(client, url)
    assert few == many, f"{url}: {few} queries with 3 guides, {many} with 15"


def test_topic_slugs_are_ascii_and_old_accented_links_still_filter(client, make_guide):
    """`?theme=repérage` was percent-encoded in every link; slugs are ASCII now."""
    make_guide(title="Repérer", topics=["repérage", "Éducation"], full_body=False)
    make_guide(title="La loi", topics=["loi"], full_body=False)

    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["education", "loi", "reperage"]
    assert titles(client.get("/guides/", {"theme": "reperage"})) == ["Repérer"]
    # A link made before the change keeps its meaning.
    assert titles(client.get("/guides/", {"theme": "repérage"})) == ["Repérer"]


def test_two_topics_with_the_same_ascii_slug_stay_distinct(make_guide):
    make_guide(title="Un", topics=["repérage"], full_body=False)
    make_guide(title="Deux", topics=["reperage"], full_body=False)

    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["reperage", "reperage_1"]


@pytest.mark.django_db
def test_the_migration_makes_existing_slugs_ascii():
    migration = importlib.import_module("core.migrations.0002_ascii_tag_slugs")
    Tag.objects.bulk_create(  # as taggit wrote them before (bulk_create sends no signal)
        [Tag(name="repérage", slug="repérage"), Tag(name="Reperage", slug="reperage")]
    )

    migration.ascii_slugs(apps, connection.schema_editor())

    assert dict(Tag.objects.values_list("name", "slug")) == {
        "repérage": "reperage_1",
        "Reperage": "reperage",
    }
