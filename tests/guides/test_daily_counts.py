"""Guide reading counted per page and day: no cookie, no user, one UPDATE per view.

Counted: a GET of a live guide page (or its PDF) answered 200, outside Wagtail's
preview, by a browser (robots and requests without a User-Agent are not counted).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from guides.counters import PDF, VIEW, count_guide_hit, is_robot
from guides.models import GuideDailyCount, Publisher
from tests.concurrency import run_in_parallel
from tests.conftest import make_user

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0 Safari/537.36"
)


def counts(guide):
    return list(
        GuideDailyCount.objects.filter(page=guide).values_list("day", "views", "pdf_downloads")
    )


def read(client, url, **headers):
    return client.get(url, HTTP_USER_AGENT=headers.get("agent", BROWSER))


def test_each_reading_adds_one_to_the_day(client, make_guide):
    guide = make_guide()
    for _ in range(3):
        assert read(client, guide.url).status_code == 200
    assert counts(guide) == [(timezone.localdate(), 3, 0)]


def test_a_new_day_starts_a_new_row(make_guide):
    guide = make_guide()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    count_guide_hit(guide.pk, VIEW, day=yesterday)
    count_guide_hit(guide.pk, VIEW)
    count_guide_hit(guide.pk, PDF)
    assert sorted(counts(guide)) == [(yesterday, 1, 0), (timezone.localdate(), 1, 1)]


def test_nothing_personal_is_kept_and_no_cookie_is_set(client, make_guide):
    guide = make_guide()
    response = read(client, guide.url)
    # The site's CSRF cookie (header forms) predates the counter, which adds none.
    assert set(response.cookies) <= {"csrftoken"}
    assert counts(guide) == [(timezone.localdate(), 1, 0)]
    fields = {f.name for f in GuideDailyCount._meta.get_fields()}
    assert fields == {"id", "page", "day", "views", "pdf_downloads"}


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "curl/8.5.0",
        "python-requests/2.32",
        "Wget/1.21",
    ],
)
def test_robots_are_not_counted(client, make_guide, agent):
    guide = make_guide()
    assert read(client, guide.url, agent=agent).status_code == 200
    assert counts(guide) == []


def test_browsers_are_counted():
    assert not is_robot(BROWSER)
    assert not is_robot("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Safari/604.1")


def test_head_post_404_and_drafts_are_not_counted(client, make_guide):
    guide = make_guide()
    client.head(guide.url, HTTP_USER_AGENT=BROWSER)
    client.post(guide.url, HTTP_USER_AGENT=BROWSER)
    assert read(client, f"{guide.url}inconnu/").status_code == 404
    draft = make_guide(title="Brouillon", live=False)
    assert read(client, f"/guides/{draft.slug}/").status_code == 404
    assert GuideDailyCount.objects.count() == 0


def test_the_offline_copy_of_the_service_worker_is_not_counted(client, make_guide):
    """The worker fetches the anonymous copy of a page or PDF it keeps offline (once
    more, after the person's own reading): a copy, not a reading."""
    guide = make_guide(published=True)
    page = client.get(guide.url, HTTP_USER_AGENT=BROWSER, HTTP_X_REPERES_OFFLINE_COPY="1")
    assert page.status_code == 200
    response = client.get(
        f"{guide.url}pdf/", HTTP_USER_AGENT=BROWSER, HTTP_X_REPERES_OFFLINE_COPY="1"
    )
    b"".join(response.streaming_content)
    assert counts(guide) == []


def test_the_preview_is_not_counted(make_guide):
    guide = make_guide()
    response = guide.make_preview_request()
    assert response.status_code == 200
    assert counts(guide) == []


def test_a_pdf_download_is_counted_apart(client, make_guide):
    guide = make_guide(published=True)
    response = read(client, f"{guide.url}pdf/")
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert counts(guide) == [(timezone.localdate(), 0, 1)]


def test_a_reading_costs_one_update(client, make_guide):
    """Against a robot's reading of the same page: exactly one more query (the UPDATE)."""
    guide = make_guide()
    read(client, guide.url)  # warm caches and create the day's row
    with CaptureQueriesContext(connection) as robot:
        read(client, guide.url, agent="Googlebot")
    with CaptureQueriesContext(connection) as person:
        read(client, guide.url)
    assert len(person) == len(robot) + 1
    assert person.captured_queries[-1]["sql"].startswith('UPDATE "guides_guidedailycount"')


def test_an_unknown_kind_is_refused(make_guide):
    with pytest.raises(ValueError):
        count_guide_hit(make_guide().pk, "likes")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_parallel_first_readings_are_all_counted(make_guide):
    """Twelve servers reading a guide for the first time today: twelve, not one."""
    guide = make_guide()
    _results, errors = run_in_parallel(lambda _: count_guide_hit(guide.pk, VIEW), range(12))
    assert errors == []
    assert counts(guide) == [(timezone.localdate(), 12, 0)]


def test_publisher_members_are_edited_in_the_publisher_admin(client, django_user_model):
    admin = make_user(django_user_model, "admin@example.org", is_superuser=True, is_staff=True)
    member = make_user(django_user_model, "membre@example.org", mfa=False)
    publisher = Publisher.objects.create(name="Observatoire")
    client.force_login(admin)
    url = reverse("wagtailsnippets_guides_publisher:edit", args=[publisher.pk])
    html = client.get(url).content.decode()
    assert "membres (rédaction, formation)" in html.lower()
    assert "La Coordination voit tout." in html
    publisher.members.add(member)
    assert list(member.publishers.all()) == [publisher]


def test_the_demo_counts_are_idempotent(make_guide):
    from demo.reach import DAYS, ensure_guide_counts

    guide = make_guide()
    ensure_guide_counts()
    first = counts(guide)
    count_guide_hit(guide.pk, VIEW, day=timezone.localdate() - datetime.timedelta(days=1))
    ensure_guide_counts()  # a day already counted is left as it is
    assert len(first) == DAYS == len(counts(guide))
    assert sum(row[1] for row in counts(guide)) == sum(row[1] for row in first) + 1
