"""The dashboard's pages: who may open them, bad filters, XLSX and PDF content."""

import io

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from .conftest import YEAR

pytestmark = pytest.mark.django_db

DASHBOARD = "pilotage:dashboard"


def test_coordination_sees_the_dashboard_with_every_publisher(coordination, history):
    response = coordination.get(reverse(DASHBOARD), YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Module A" in html and "Module B" in html
    assert 'role="img"' in html and "<desc" in html
    assert "style=" not in html.split('data-reperes-admin-view class="pilotage"')[1]


def test_menu_item_for_coordination_only(client, coordinator, trainer):
    url = reverse(DASHBOARD)
    client.force_login(coordinator)
    assert url in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(trainer)
    assert url not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("role", ["trainer", "professional", "editor", "reviewer"])
def test_others_get_404(client, request, role, history):
    user = request.getfixturevalue(role)
    client.force_login(user)
    for name, args in [(DASHBOARD, []), ("pilotage:export", ["tout"]), ("pilotage:bilan", [])]:
        method = client.post if name == "pilotage:bilan" else client.get
        response = method(reverse(name, args=args))
        # Professionals have no admin access: Wagtail sends them to its login page.
        assert response.status_code in (404, 302), (role, name)
        if response.status_code == 302:
            assert "login" in response["Location"]


def test_anonymous_goes_to_login(client):
    response = client.get(reverse(DASHBOARD))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "params",
    [
        {"profession": "astronaute"},
        {"period": "siecle"},
        {"start": "2026-13-45"},
        {"start": "2026-12-01", "end": "2026-01-01"},
        {"module": "abc"},
        {"session": "1 OR 1=1"},
        {"publisher": "<script>"},
        {"sector": "x" * 500},
    ],
)
def test_unknown_filter_values_are_ignored_with_a_message(coordination, history, params):
    response = coordination.get(reverse(DASHBOARD), params)
    assert response.status_code == 200
    if "sector" in params and "sector" not in response.context["form"].fields:
        return  # no sector field yet (before i14-profile): nothing to ignore
    assert response.context["notices"], params
    assert "a été ignoré" in response.content.decode()


def test_an_unknown_object_id_is_a_404(coordination, history):
    for name in ("module", "session", "publisher"):
        assert coordination.get(reverse(DASHBOARD), {name: "999999"}).status_code == 404


def test_filter_by_module_applies(coordination, history):
    response = coordination.get(reverse(DASHBOARD), {**YEAR, "module": history.mb.pk})
    modules = response.context["dashboard"].table("modules")
    assert [row[0].text for row in modules.rows] == ["Module B"]


def trim(values):
    while values and values[-1] is None:
        values.pop()
    return values


def test_xlsx_export_of_one_table(coordination, history):
    from openpyxl import load_workbook

    response = coordination.get(reverse("pilotage:export", args=["mois"]), YEAR)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="pilotage-mois-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [trim([cell.value for cell in row]) for row in sheet.iter_rows()]
    assert rows[0] == ["Personnes formées par mois"]
    assert rows[2] == ["Mois", "Personnes formées"]
    values = {row[0]: row[1] for row in rows[3:15]}
    assert values["mars 2026"] == "< 5"
    assert values["juin 2026"] == 5
    assert values["janvier 2026"] == 0


def test_xlsx_export_of_every_table(coordination, history):
    from openpyxl import load_workbook

    response = coordination.get(reverse("pilotage:export", args=["tout"]), YEAR)
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.sheetnames) >= 6
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"  # never a formula


def test_xlsx_keeps_formula_leading_titles_inert(coordination, history):
    from openpyxl import load_workbook

    history.ma.title = '=HYPERLINK("http://example.org","x")'
    history.ma.save()
    response = coordination.get(reverse("pilotage:export", args=["modules"]), YEAR)
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value]
    title = next(cell for cell in cells if str(cell.value).startswith("=HYPERLINK"))
    assert title.data_type == "s"


def test_unknown_table_export_is_404(coordination, history):
    assert coordination.get(reverse("pilotage:export", args=["inconnu"])).status_code == 404


def test_bilan_pdf(coordination, history, django_capture_on_commit_callbacks):
    """Asked on the dashboard (POST), rendered by the task, downloaded from its page."""
    with django_capture_on_commit_callbacks(execute=True):
        response = coordination.post(f"{reverse('pilotage:bilan')}?start=2026-01-01&end=2026-12-31")
    assert response.status_code == 302
    status = coordination.get(response["Location"])
    assert "Télécharger le bilan (PDF)" in status.content.decode()
    report = status.context["report"]
    response = coordination.get(reverse("pilotage:bilan_download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF")
    assert 'filename="bilan-pilotage-' in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment")
    from pypdf import PdfReader

    pages = PdfReader(io.BytesIO(content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Bilan du plan de formation" in text
    assert "Module A" in text
    assert "1 janvier 2026" in text


@pytest.fixture
def editor_of_b(client, editor, history):
    history.b.members.add(editor)
    client.force_login(editor)
    return client


def test_an_editor_sees_only_their_publishers(editor_of_b, history):
    response = editor_of_b.get(reverse(DASHBOARD), YEAR)
    assert response.status_code == 200
    dashboard = response.context["dashboard"]
    assert [row[0].text for row in dashboard.table("modules").rows] == ["Module B"]
    assert dashboard.table("sessions").rows == []  # session S is publisher A's
    html = response.content.decode()
    assert "Module A" not in html and "Observatoire A" not in html


def test_an_editor_asking_for_another_publishers_figures_gets_404(editor_of_b, history):
    for params in (
        {"module": history.ma.pk},
        {"session": history.s.pk},
        {"publisher": history.a.pk},
    ):
        assert editor_of_b.get(reverse(DASHBOARD), params).status_code == 404, params
        export = reverse("pilotage:export", args=["modules"])
        assert editor_of_b.get(export, params).status_code == 404, params
        bilan = f"{reverse('pilotage:bilan')}?{urlencode(params)}"
        assert editor_of_b.post(bilan).status_code == 404


def test_a_trainer_member_of_a_publisher_still_gets_404(client, trainer, history):
    history.a.members.add(trainer)
    client.force_login(trainer)
    assert client.get(reverse(DASHBOARD)).status_code == 404


def test_module_rows_link_to_their_item_analysis(coordination, history):
    response = coordination.get(reverse(DASHBOARD), YEAR)
    url = reverse("pilotage:item_analysis:quiz", args=[history.qa.pk])
    assert url in response.content.decode()
