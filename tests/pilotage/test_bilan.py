"""The « bilan » PDF as a task: asked (POST), rendered and stored by
`render_bilan_report`, shown to its requester only, purged after 7 days."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pilotage import bilan
from pilotage.models import BilanReport
from pilotage.tasks import render_bilan_report

from .conftest import YEAR

pytestmark = pytest.mark.django_db

ASK = f"{reverse('pilotage:bilan')}?start={YEAR['start']}&end={YEAR['end']}"


@pytest.fixture
def ask(coordination, django_capture_on_commit_callbacks):
    """Ask for a bilan; `run=False` leaves the task in the queue (not committed yet)."""

    def ask(url=ASK, run=True):
        if run:
            with django_capture_on_commit_callbacks(execute=True):
                response = coordination.post(url)
        else:
            response = coordination.post(url)
        assert response.status_code == 302
        report = BilanReport.objects.latest("pk")
        assert response["Location"] == reverse("pilotage:bilan_status", args=[report.pk])
        return report

    return ask


def stored_files(report):
    storage = report.file.storage
    folder = "pilotage/bilans"
    if not storage.exists(folder):
        return []
    names = []
    for year in storage.listdir(folder)[0]:
        for month in storage.listdir(f"{folder}/{year}")[0]:
            names += storage.listdir(f"{folder}/{year}/{month}")[1]
    return names


@pytest.fixture(autouse=True)
def empty_bilan_folder():
    """The private storage is shared by the test session: start each test empty."""
    import shutil
    from pathlib import Path

    shutil.rmtree(Path(settings.PRIVATE_MEDIA_ROOT) / "pilotage", ignore_errors=True)


def test_the_task_renders_and_stores_the_pdf(ask, coordinator, history):
    report = ask()
    report.refresh_from_db()
    assert report.status == BilanReport.Status.READY
    assert report.ready_at is not None and report.error == ""
    assert report.requested_by == coordinator
    assert report.filters == {"start": "2026-01-01", "end": "2026-12-31"}
    with report.file.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    # In the private storage, never under MEDIA_ROOT.
    assert report.file.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))


def test_a_second_call_renders_nothing(ask, history, monkeypatch):
    report = ask()
    report.refresh_from_db()
    name = report.file.name
    calls = []
    monkeypatch.setattr("pilotage.pdf.render_bilan", lambda *args: calls.append(args))
    render_bilan_report.call(report.pk)
    report.refresh_from_db()
    assert calls == [] and report.file.name == name
    assert len(stored_files(report)) == 1


def test_a_failed_report_is_not_rendered_again(ask, history, monkeypatch):
    report = ask(run=False)
    BilanReport.objects.filter(pk=report.pk).update(status="failed", error="render")
    render_bilan_report.call(report.pk)
    report.refresh_from_db()
    assert report.status == "failed" and not report.file


def test_a_second_click_while_pending_reuses_the_report(ask, history):
    first = ask(run=False)
    assert ask(run=False) == first
    assert BilanReport.objects.count() == 1
    other_filters = ask(f"{reverse('pilotage:bilan')}?start=2026-02-01&end=2026-12-31", run=False)
    assert other_filters != first


def test_only_validated_filters_are_stored(ask, history):
    report = ask(f"{reverse('pilotage:bilan')}?period=annee&profession=astronaute&module=abc")
    today = timezone.localdate()
    # The preset resolved to its dates; the values that meant nothing dropped.
    assert report.filters == {"start": f"{today.year}-01-01", "end": today.isoformat()}


def test_asking_is_a_post_with_csrf(client, coordinator, history):
    client.force_login(coordinator)
    assert client.get(ASK).status_code == 405
    client.handler.enforce_csrf_checks = True
    assert client.post(ASK).status_code == 403
    assert not BilanReport.objects.exists()


def test_a_rendering_failure_says_so_and_stores_nothing(ask, coordination, history, monkeypatch):
    def broken(*args):
        raise RuntimeError("WeasyPrint exploded")

    monkeypatch.setattr("pilotage.pdf.render_bilan", broken)
    report = ask()
    report.refresh_from_db()
    assert report.status == "failed" and report.error == "render" and not report.file
    assert stored_files(report) == []
    html = coordination.get(reverse("pilotage:bilan_status", args=[report.pk])).content.decode()
    assert "n'a pas pu être préparé" in html and "La mise en page du PDF a échoué" in html
    download = coordination.get(reverse("pilotage:bilan_download", args=[report.pk]))
    assert download.status_code == 302  # back to the page that says why


def test_a_storage_failure_leaves_no_file_behind(ask, history, monkeypatch):
    report = ask(run=False)
    original = BilanReport.save

    def failing_save(self, *args, **kwargs):
        if kwargs.get("update_fields"):
            raise OSError("database gone")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(BilanReport, "save", failing_save)
    render_bilan_report.call(report.pk)
    report.refresh_from_db()
    assert report.status == "failed" and report.error == "render" and not report.file
    assert stored_files(report) == []


def test_a_coordinator_who_lost_the_role_gets_nothing(ask, coordinator, history):
    report = ask(run=False)
    coordinator.groups.clear()
    render_bilan_report.call(report.pk)
    report.refresh_from_db()
    assert report.status == "failed" and report.error == "scope" and not report.file


def test_an_editor_who_left_the_publisher_gets_nothing(
    client, editor, history, django_capture_on_commit_callbacks
):
    history.b.members.add(editor)
    client.force_login(editor)
    client.post(f"{reverse('pilotage:bilan')}?module={history.mb.pk}")
    report = BilanReport.objects.get()
    assert report.filters["module"] == str(history.mb.pk)
    history.b.members.remove(editor)
    history.a.members.add(editor)  # still an editor of a publisher, not of module B's
    render_bilan_report.call(report.pk)
    report.refresh_from_db()
    assert report.status == "failed" and report.error == "scope"


def test_the_status_page_and_the_download(ask, coordination, history):
    report = ask()
    response = coordination.get(reverse("pilotage:bilan_status", args=[report.pk]))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert reverse("pilotage:bilan_download", args=[report.pk]) in html
    assert "http-equiv" not in html  # ready: nothing to wait for
    download = coordination.get(reverse("pilotage:bilan_download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="bilan-pilotage-')
    assert "private" in download["Cache-Control"] and "no-store" in download["Cache-Control"]


def test_a_pending_report_says_so(ask, coordination, history):
    report = ask(run=False)
    response = coordination.get(reverse("pilotage:bilan_status", args=[report.pk]))
    html = response.content.decode()
    assert "en préparation" in html
    assert reverse("pilotage:bilan_download", args=[report.pk]) not in html
    assert "http-equiv" not in html  # no refresh the person did not ask for (WCAG 2.2.1)
    download = coordination.get(reverse("pilotage:bilan_download", args=[report.pk]))
    assert download.status_code == 302
    assert download["Location"] == reverse("pilotage:bilan_status", args=[report.pk])


def test_the_pending_page_refreshes_itself_when_asked(ask, coordination, history):
    report = ask(run=False)
    url = reverse("pilotage:bilan_status", args=[report.pk])
    html = coordination.get(url, {"actualiser": "auto"}).content.decode()
    assert '<meta http-equiv="refresh" content="5">' in html
    assert "Arrêter l'actualisation automatique" in html
    report.status = BilanReport.Status.FAILED
    report.save()
    html = coordination.get(url, {"actualiser": "auto"}).content.decode()
    assert "http-equiv" not in html  # nothing left to wait for


def test_another_persons_report_is_a_404(ask, client, history, django_user_model):
    from tests.conftest import make_user

    report = ask()
    other = make_user(django_user_model, "coordination2@example.org", "Coordination")
    client.force_login(other)
    for name in ("pilotage:bilan_status", "pilotage:bilan_download"):
        assert client.get(reverse(name, args=[report.pk])).status_code == 404
        assert client.get(reverse(name, args=[report.pk + 1000])).status_code == 404


@pytest.mark.parametrize("role", ["trainer", "editor", "reviewer", "professional"])
def test_others_never_see_a_report(ask, client, request, role, history):
    report = ask()
    client.force_login(request.getfixturevalue(role))
    for name in ("pilotage:bilan_status", "pilotage:bilan_download"):
        response = client.get(reverse(name, args=[report.pk]))
        # Professionals have no admin access: Wagtail sends them to its login page.
        assert response.status_code in (404, 302), (role, name)
        if response.status_code == 302:
            assert "login" in response["Location"]
    assert client.post(ASK).status_code in (404, 302)
    assert BilanReport.objects.count() == 1


def test_anonymous_goes_to_login(ask, client, history):
    report = ask()
    client.logout()
    for name in ("pilotage:bilan_status", "pilotage:bilan_download"):
        response = client.get(reverse(name, args=[report.pk]))
        assert response.status_code == 302 and "login" in response["Location"]


def test_the_status_page_query_count_is_constant(
    ask, coordination, coordinator, history, django_assert_num_queries
):
    pending = ask(run=False)
    ready = ask()
    url = reverse("pilotage:bilan_status", args=[pending.pk])
    with CaptureQueriesContext(connection) as captured:
        coordination.get(url)
    baseline = len(captured)
    for _ in range(5):  # more reports, of this person and others: the same queries
        BilanReport.objects.create(requested_by=coordinator, filters={})
    for report in (pending, ready):
        with django_assert_num_queries(baseline):
            coordination.get(reverse("pilotage:bilan_status", args=[report.pk]))


def test_reports_older_than_7_days_are_purged_with_their_file(
    ask, history, django_capture_on_commit_callbacks
):
    old, recent = ask(), ask()
    old.refresh_from_db()
    storage, name = old.file.storage, old.file.name
    BilanReport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=8)
    )
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go after the commit
        call_command("purge_bilan_reports", stdout=out)
    assert "1 bilan supprimé." in out.getvalue()
    assert list(BilanReport.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not storage.exists(name)
    assert bilan.purge_reports() == 0  # idempotent


def test_deleting_the_account_deletes_the_reports_and_files(
    ask, coordinator, history, django_capture_on_commit_callbacks
):
    report = ask()
    report.refresh_from_db()
    storage, name = report.file.storage, report.file.name
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.delete()
    assert not BilanReport.objects.exists()
    assert not storage.exists(name)
