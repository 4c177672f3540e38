"""Coordination's certificates admin: list, search, filters, revoke, re-issue, exports."""

import datetime
import io
import re
import zipfile

import openpyxl
import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from certificates import services
from certificates.admin_views import CappedSearchPaginator
from certificates.codes import new_code
from certificates.exports import zip_member_names
from certificates.models import (
    Certificate,
    CertificateKind,
    CertificateStatus,
    CertificateTemplate,
)
from tests.conftest import make_user
from tests.courses.factories import ModulePageFactory
from tests.guides.factories import PublisherFactory
from tests.spreadsheet_checks import (
    HOSTILE,
    assert_french_dated_filename,
    assert_xlsx_inert,
    xlsx_cells,
)
from tests.storage_down import store_down

from .helpers import certificate_of, complete_module

pytestmark = pytest.mark.django_db

INDEX = "certificates_admin:index"
PDF_BYTES = b"%PDF-1.7\n% a stored certificate\n%%EOF\n"


def paris(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def make_certificate(module, holder=None, *, first_name="Camille", last_name="Martin", **fields):
    """A certificate row as the services leave it (number from the sequence, random code).

    `holder=None` lets many certificates share a module (the one-in-force constraint
    is per holder). `pdf=False` leaves the PDF « en préparation ».
    """
    with_pdf = fields.pop("pdf", True)
    issued_at = fields.pop("issued_at", None) or timezone.now()
    year = timezone.localtime(issued_at).year
    sequence, number = services.allocate_number(year)
    certificate = Certificate.objects.create(
        kind=CertificateKind.COMPLETION,
        number=number,
        year=year,
        sequence=sequence,
        code=new_code(),
        holder=holder,
        module=module,
        holder_first_name=first_name,
        holder_last_name=last_name,
        holder_organisation="Collège Jean Moulin",
        title=module.title,
        publisher_name="Observatoire départemental",
        completed_on=timezone.localdate(issued_at),
        issuer_name="Observatoire départemental",
        issued_at=issued_at,
        **fields,
    )
    if with_pdf:
        certificate.pdf.save(f"{certificate.uuid}.pdf", ContentFile(PDF_BYTES))
    return certificate


def listed_numbers(response):
    return [certificate.number for certificate in response.context["object_list"]]


def log_actions(certificate):
    return list(
        ModelLogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Certificate),
            object_id=str(certificate.pk),
        ).values_list("action", flat=True)
    )


@pytest.fixture
def module():
    return ModulePageFactory(title="Repérer les signaux faibles", slug="reperer")


@pytest.fixture
def other_module():
    return ModulePageFactory(title="Accompagner une victime", slug="accompagner")


@pytest.fixture
def coordination(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def issued(professional):
    """A certificate issued the real way: the professional completes a module."""
    module, _completion = complete_module(professional, title="Comprendre la loi")
    return certificate_of(professional, module)


# --- Access -------------------------------------------------------------------------------


def test_menu_shows_certificates_to_coordination_only(client, coordinator, editor, trainer):
    index_url = reverse(INDEX)
    client.force_login(coordinator)
    assert index_url in client.get(reverse("wagtailadmin_home")).content.decode()
    for user in (editor, trainer):
        client.force_login(user)
        assert index_url not in client.get(reverse("wagtailadmin_home")).content.decode()


@pytest.mark.parametrize("role_fixture", ["editor", "reviewer", "trainer", "professional"])
def test_other_roles_get_nothing(client, request, role_fixture, issued):
    client.force_login(request.getfixturevalue(role_fixture))
    urls = [
        reverse(INDEX),
        reverse(INDEX) + "?export=xlsx",
        reverse("certificates_admin:inspect", args=[issued.pk]),
        reverse("certificates_admin:pdf", args=[issued.pk]),
        reverse("certificates_admin:zip") + f"?module={issued.module_id}",
        reverse("certificates_admin:revoke", args=[issued.pk]),
        reverse("wagtailsnippets_certificates_certificatetemplate:list"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert issued.number.encode() not in response.content
    for action in ("revoke", "reissue"):
        response = client.post(
            reverse(f"certificates_admin:{action}", args=[issued.pk]), {"reason": "Essai"}
        )
        assert response.status_code in (302, 403)
    issued.refresh_from_db()
    assert issued.status() == CertificateStatus.VALID
    assert Certificate.objects.count() == 1
    assert log_actions(issued) == ["reperes.certificate_issue"]


def test_view_permission_alone_neither_revokes_nor_exports(client, django_user_model, issued):
    """The actions have their own permissions, not implied by seeing the list."""
    readers = Group.objects.create(name="Lecture des certificats")
    readers.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_certificate"),
    )
    reader = make_user(django_user_model, "lecture@example.org", mfa=True)  # admin access
    reader.groups.add(readers)
    client.force_login(reader)

    inspect = client.get(reverse("certificates_admin:inspect", args=[issued.pk]))
    assert inspect.status_code == 200
    revoke_url = reverse("certificates_admin:revoke", args=[issued.pk])
    assert revoke_url not in inspect.content.decode()
    assert client.post(revoke_url, {"reason": "Essai"}).status_code == 302
    assert client.get(reverse(INDEX) + "?export=xlsx").status_code == 302
    assert client.get(reverse("certificates_admin:zip")).status_code == 302
    issued.refresh_from_db()
    assert issued.revoked_at is None


def test_certificates_cannot_be_created_or_edited_in_the_admin(coordination, issued):
    html = coordination.get(reverse(INDEX)).content.decode()
    assert "/admin/certificats/new/" not in html
    for path in ("new/", f"edit/{issued.pk}/", f"delete/{issued.pk}/"):
        assert coordination.get(f"/admin/certificats/{path}").status_code == 404


# --- List, search, filters --------------------------------------------------------------------


def test_list_shows_number_holder_title_kind_date_and_status(coordination, issued):
    response = coordination.get(reverse(INDEX))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (issued.number, "Camille Martin", "Comprendre la loi", "Authentique"):
        assert text in html
    assert "attestation de fin de formation" in html
    assert issued.code not in html  # codes are only on the detail page


def test_search_by_number_code_and_name(coordination, module, other_module):
    leila = make_certificate(module, first_name="Leïla", last_name="Benali")
    hugo = make_certificate(other_module, first_name="Hugo", last_name="Durand")
    url = reverse(INDEX)

    assert listed_numbers(coordination.get(url, {"q": leila.number})) == [leila.number]
    # A code as printed (with dashes), lower-cased, and with a letter O for a zero.
    typed = leila.display_code.lower()
    assert listed_numbers(coordination.get(url, {"q": typed})) == [leila.number]
    assert listed_numbers(coordination.get(url, {"q": leila.code})) == [leila.number]
    folded = leila.display_code.replace("0", "O").replace("1", "I")
    assert listed_numbers(coordination.get(url, {"q": folded})) == [leila.number]
    # A partial code finds nothing: codes are matched whole.
    assert listed_numbers(coordination.get(url, {"q": leila.code[:8]})) == []

    assert listed_numbers(coordination.get(url, {"q": "benali"})) == [leila.number]
    assert listed_numbers(coordination.get(url, {"q": "Hugo Durand"})) == [hugo.number]
    assert listed_numbers(coordination.get(url, {"q": "Accompagner"})) == [hugo.number]
    # The results view (what the search box refreshes) searches the same way.
    results = coordination.get(reverse("certificates_admin:index_results"), {"q": typed})
    assert listed_numbers(results) == [leila.number]


def test_a_search_counts_its_matches_up_to_the_cap(coordination, module, monkeypatch):
    """Past the cap the pager stops counting: « plus de … », narrow the search."""
    monkeypatch.setattr(CappedSearchPaginator, "cap", 3)
    for index in range(5):
        make_certificate(module, first_name=f"Inès {index}", last_name="Benali")
    make_certificate(module, first_name="Hugo", last_name="Durand")
    url = reverse(INDEX)

    response = coordination.get(url, {"q": "Benali"})
    html = re.sub(r"\s+", " ", response.content.decode())
    assert response.context["paginator"].count == 3 and response.context["paginator"].capped
    assert "Plus de 3 résultats : précisez la recherche" in html
    assert "Plus de 3 certificats" in html  # the pager's label
    assert len(listed_numbers(response)) == 3  # the first page holds what is counted

    response = coordination.get(url, {"q": "Durand"})
    assert response.context["paginator"].count == 1
    assert not response.context["paginator"].capped
    assert "précisez la recherche" not in response.content.decode()
    # The whole list is counted exactly.
    assert coordination.get(url).context["paginator"].count == 6


def test_filter_by_status_kind_module_and_dates(coordination, module, other_module, coordinator):
    valid = make_certificate(module)
    expired = make_certificate(module, expires_on=timezone.localdate() - datetime.timedelta(days=1))
    revoked = make_certificate(module)
    services.revoke_certificate(revoked, by=coordinator, reason="Erreur de saisie")
    old = make_certificate(other_module, issued_at=paris(2025, 1, 15))
    url = reverse(INDEX)

    def listed(**params):
        return set(listed_numbers(coordination.get(url, params)))

    assert listed(status=CertificateStatus.VALID) == {valid.number, old.number}
    assert listed(status=CertificateStatus.EXPIRED) == {expired.number}
    assert listed(status=CertificateStatus.REVOKED) == {revoked.number}
    assert listed(status=CertificateStatus.REPLACED) == set()
    assert listed(module=other_module.pk) == {old.number}
    assert listed(kind=CertificateKind.ACHIEVEMENT) == set()
    assert listed(issued_at_from="2025-01-01", issued_at_to="2025-01-31") == {old.number}
    revoked_page = coordination.get(url, {"status": CertificateStatus.REVOKED}).content.decode()
    assert "Révoqué" in revoked_page


def list_queries(client, count, module):
    for index in range(count):
        make_certificate(module, first_name=f"Personne {index}")
    client.get(reverse(INDEX))  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(INDEX))
    assert len(response.context["object_list"]) >= count
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(
    coordination, module, django_assert_max_num_queries
):
    with_three = list_queries(coordination, 3, module)
    with_fifteen = list_queries(coordination, 12, module)
    assert with_three == with_fifteen
    # A search adds one query per word: the modules whose title holds it (matched by id,
    # so that the certificates' trigram indexes serve the search on PostgreSQL).
    with django_assert_max_num_queries(with_three + 1):
        coordination.get(reverse(INDEX), {"status": CertificateStatus.VALID, "q": "Personne"})


# --- Detail ---------------------------------------------------------------------------------


def test_detail_shows_snapshot_code_and_history(coordination, issued):
    response = coordination.get(reverse("certificates_admin:inspect", args=[issued.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for text in (
        issued.number,
        issued.display_code,
        issued.get_verification_url(),
        "Comprendre la loi",
        "Certificat délivré",  # the issue log entry, by its label
    ):
        assert text in html
    assert reverse("certificates_admin:revoke", args=[issued.pk]) in html
    assert reverse("certificates_admin:reissue", args=[issued.pk]) in html


def test_unknown_certificate_is_404(coordination):
    assert coordination.get(reverse("certificates_admin:inspect", args=[999])).status_code == 404
    assert coordination.get(reverse("certificates_admin:revoke", args=[999])).status_code == 404


# --- Revoke and re-issue ------------------------------------------------------------------------


def test_revoke_with_reason(coordination, coordinator, issued):
    url = reverse("certificates_admin:revoke", args=[issued.pk])
    confirmation = coordination.get(url)
    assert confirmation.status_code == 200
    assert "Révoqué" in confirmation.content.decode()
    issued.refresh_from_db()
    assert issued.revoked_at is None  # nothing changes on GET

    response = coordination.post(url, {"reason": "  Attestation obtenue   par fraude "})
    assert response.status_code == 302
    assert response["Location"] == reverse("certificates_admin:inspect", args=[issued.pk])
    issued.refresh_from_db()
    assert issued.status() == CertificateStatus.REVOKED
    assert issued.revoked_by == coordinator
    assert issued.revocation_reason == "Attestation obtenue par fraude"
    entry = ModelLogEntry.objects.get(object_id=str(issued.pk), action="reperes.certificate_revoke")
    assert entry.user == coordinator
    assert entry.data["reason"] == "Attestation obtenue par fraude"
    detail = coordination.get(response["Location"]).content.decode()
    assert "Attestation obtenue par fraude" in detail
    assert "Certificat révoqué" in detail


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_revoke_without_reason_changes_nothing(coordination, issued, reason):
    url = reverse("certificates_admin:revoke", args=[issued.pk])
    response = coordination.post(url, {"reason": reason})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    issued.refresh_from_db()
    assert issued.revoked_at is None
    assert log_actions(issued) == ["reperes.certificate_issue"]


def test_revoke_without_csrf_token_is_refused(client, coordinator, issued):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(coordinator)
    url = reverse("certificates_admin:revoke", args=[issued.pk])
    assert strict.post(url, {"reason": "Fraude"}).status_code == 403
    issued.refresh_from_db()
    assert issued.revoked_at is None


def test_reissue_creates_a_new_number_and_replaces_the_old(coordination, issued, professional):
    professional.last_name = "Martin-Durand"
    professional.save()
    url = reverse("certificates_admin:reissue", args=[issued.pk])
    assert "Camille Martin-Durand" in coordination.get(url).content.decode()

    response = coordination.post(url, {"reason": "Changement de nom"})
    assert response.status_code == 302
    issued.refresh_from_db()
    new = issued.replaced_by
    assert new.number != issued.number
    assert new.code != issued.code
    assert new.holder_last_name == "Martin-Durand"
    assert response["Location"] == reverse("certificates_admin:inspect", args=[new.pk])
    assert issued.status() == CertificateStatus.REPLACED

    listing = coordination.get(reverse(INDEX), {"status": CertificateStatus.REPLACED})
    assert listed_numbers(listing) == [issued.number]
    assert "Remplacé" in listing.content.decode()
    # Both ends of the chain show it, with the re-issue in the history.
    for certificate in (issued, new):
        detail = coordination.get(
            reverse("certificates_admin:inspect", args=[certificate.pk])
        ).content.decode()
        assert issued.number in detail and new.number in detail
        assert "Changement de nom" in detail
        assert "Certificat réémis" in detail


def test_refused_action_shows_the_reason_and_changes_nothing(coordination, coordinator, issued):
    services.revoke_certificate(issued, by=coordinator, reason="Fraude")
    url = reverse("certificates_admin:reissue", args=[issued.pk])
    page = coordination.get(url)
    assert "révoqué" in page.content.decode()
    assert "<textarea" not in page.content.decode()

    response = coordination.post(url, {"reason": "Changement de nom"})
    assert response.status_code == 200
    assert "Ce certificat a été révoqué." in response.content.decode()
    assert Certificate.objects.count() == 1


# --- Exports ----------------------------------------------------------------------------------


def zip_members(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_zip_holds_the_module_pdfs_of_the_date_range_only(coordination, module, other_module):
    first = make_certificate(module, last_name="Martin", issued_at=paris(2026, 3, 1, 0))
    second = make_certificate(module, last_name="Martin", issued_at=paris(2026, 3, 31, 23))
    alone = make_certificate(module, last_name="Benali", issued_at=paris(2026, 3, 15))
    make_certificate(module, last_name="Avant", issued_at=paris(2026, 2, 28, 23))
    make_certificate(module, last_name="Apres", issued_at=paris(2026, 4, 1, 0))
    make_certificate(other_module, last_name="Autre", issued_at=paris(2026, 3, 15))
    make_certificate(module, last_name="Prepa", issued_at=paris(2026, 3, 15), pdf=False)
    withdrawn = make_certificate(module, last_name="Retire", issued_at=paris(2026, 3, 16))
    withdrawn.revoked_at = timezone.now()
    withdrawn.save()

    params = {"module": module.pk, "start": "2026-03-01", "end": "2026-03-31"}
    members = zip_members(coordination.get(reverse("certificates_admin:zip"), params))
    assert members == {
        # The same name twice: each gets its number.
        f"attestation-reperer-martin-{first.number}.pdf": PDF_BYTES,
        f"attestation-reperer-martin-{second.number}.pdf": PDF_BYTES,
        "attestation-reperer-benali.pdf": PDF_BYTES,
    }
    exported = ModelLogEntry.objects.filter(action="reperes.certificate_export")
    assert sorted(exported.values_list("object_id", flat=True)) == sorted(
        str(c.pk) for c in (first, second, alone)
    )
    assert {entry.data["format"] for entry in exported} == {"zip"}

    with_withdrawn = zip_members(
        coordination.get(reverse("certificates_admin:zip"), {**params, "include_withdrawn": "on"})
    )
    assert "attestation-reperer-retire.pdf" in with_withdrawn


def zip_queries(client, module, count):
    """Queries of one ZIP download of the module's certificates, `count` more of them."""
    for _ in range(count):
        make_certificate(module, last_name="Martin", issued_at=paris(2026, 3, 10))
    params = {"module": module.pk, "start": "2026-03-01", "end": "2026-03-31"}
    client.get(reverse("certificates_admin:zip"), params)  # warm caches (content types…)
    with CaptureQueriesContext(connection) as queries:
        members = zip_members(client.get(reverse("certificates_admin:zip"), params))
    return len(queries), members


def test_zip_queries_do_not_grow_with_certificates(coordination, module):
    # The file name reads `certificate.module`: fetched with the certificates.
    with_three, members = zip_queries(coordination, module, 3)
    assert len(members) == 3
    with_ten, members = zip_queries(coordination, module, 7)
    assert len(members) == 10
    # Ten holders with the same last name and module: ten distinct names.
    assert len(set(members)) == 10
    assert all(name.startswith("attestation-reperer-martin-RP-") for name in members)
    assert with_ten == with_three


def test_zip_member_names_stay_distinct_whatever_the_names(module):
    def unsaved(pk, number, last_name):
        return Certificate(
            pk=pk,
            number=number,
            module=module,
            kind=CertificateKind.COMPLETION,
            holder_last_name=last_name,
            title=module.title,
        )

    certificates = [
        unsaved(1, "RP-2026-000001", "Martin"),
        unsaved(2, "RP-2026-000002", "Martin"),
        # A last name that spells another certificate's suffixed name.
        unsaved(3, "RP-2026-000003", "Martin RP 2026 000001"),
        unsaved(4, "RP-2026-000004", "Benali"),
    ]
    names = zip_member_names(certificates)
    assert names == {
        1: "attestation-reperer-martin-RP-2026-000001.pdf",
        2: "attestation-reperer-martin-RP-2026-000002.pdf",
        3: "attestation-reperer-martin-rp-2026-000001-2.pdf",
        4: "attestation-reperer-benali.pdf",
    }


def test_zip_form_and_its_errors(coordination, module):
    url = reverse("certificates_admin:zip")
    page = coordination.get(url)
    assert page.status_code == 200
    assert module.title in page.content.decode()
    invalid = coordination.get(
        url, {"module": module.pk, "start": "2026-03-31", "end": "2026-03-01"}
    )
    assert invalid.status_code == 200
    assert invalid.context["form"].errors["end"]
    assert not ModelLogEntry.objects.filter(action="reperes.certificate_export").exists()


def test_xlsx_export_of_the_filtered_list(coordination, module, coordinator):
    kept = make_certificate(
        module, first_name="Leïla", last_name="Benali", issued_at=paris(2026, 3, 2, 9)
    )
    revoked = make_certificate(module, last_name="Durand")
    services.revoke_certificate(revoked, by=coordinator, reason="Erreur")

    response = coordination.get(
        reverse(INDEX), {"status": CertificateStatus.VALID, "export": "xlsx"}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0] == (
        "Numéro",
        "Prénom",
        "Nom",
        "Structure",
        "Intitulé",
        "Type",
        "Émis le",
        "Statut",
        "Expire le",
        "Révoqué le",
    )
    assert len(rows) == 2
    number, first, last, organisation, title, kind, issued_at, status, *_rest = rows[1]
    assert (number, first, last, organisation) == (
        kept.number,
        "Leïla",
        "Benali",
        "Collège Jean Moulin",
    )
    assert (title, kind, status) == (module.title, "attestation de fin de formation", "Authentique")
    assert issued_at == datetime.datetime(2026, 3, 2, 9)  # Paris time, as issued
    assert kept.code not in content.decode("latin-1")
    assert log_actions(kept)[-1] == "reperes.certificate_export"
    assert "reperes.certificate_export" not in log_actions(revoked)


def test_xlsx_export_is_inert_and_named_in_french(coordination, module):
    for value in HOSTILE:
        make_certificate(module, first_name=value, last_name="Lefèvre")

    response = coordination.get(reverse(INDEX), {"export": "xlsx"})

    assert response.status_code == 200
    cells = xlsx_cells(response)
    assert_xlsx_inert(cells)
    assert "Lefèvre" in {cell.value for cell in cells}
    assert_french_dated_filename(response, "certificats", "xlsx")


def test_xlsx_export_of_a_code_search_never_logs_the_code(coordination, module, caplog):
    certificate = make_certificate(module)
    with caplog.at_level("INFO", logger="reperes.certificates"):
        response = coordination.get(
            reverse(INDEX), {"q": certificate.display_code, "export": "xlsx"}
        )
    content = b"".join(response.streaming_content)
    rows = list(openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [certificate.number]
    entry = ModelLogEntry.objects.get(action="reperes.certificate_export")
    assert entry.data["searched"] is True
    logged = str(entry.data) + caplog.text + str([r.__dict__ for r in caplog.records])
    assert certificate.code not in logged
    assert certificate.display_code not in logged


def test_single_pdf_download(coordination, module):
    certificate = make_certificate(module, last_name="Benali")
    response = coordination.get(reverse("certificates_admin:pdf", args=[certificate.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert "attestation-reperer-benali.pdf" in response["Content-Disposition"]
    pending = make_certificate(module, pdf=False)
    assert coordination.get(reverse("certificates_admin:pdf", args=[pending.pk])).status_code == 404


def test_with_the_object_store_down_exports_wait_and_log_nothing(coordination, module, monkeypatch):
    """One PDF or a ZIP: 503 « réessayez », no export logged, no ZIP of missing files."""
    certificate = make_certificate(module, last_name="Benali", issued_at=paris(2026, 3, 15))
    store_down(monkeypatch, Certificate, "pdf")
    response = coordination.get(reverse("certificates_admin:pdf", args=[certificate.pk]))
    assert response.status_code == 503 and response["Retry-After"]
    params = {"module": module.pk, "start": "2026-03-01", "end": "2026-03-31"}
    assert coordination.get(reverse("certificates_admin:zip"), params).status_code == 503
    assert not ModelLogEntry.objects.filter(action="reperes.certificate_export").exists()


# --- Certificate templates (snippet) -------------------------------------------------------------


def test_coordination_edits_certificate_templates(coordination, client, editor):
    publisher = PublisherFactory(name="Amicale du Nid")
    add_url = reverse("wagtailsnippets_certificates_certificatetemplate:add")
    assert coordination.get(add_url).status_code == 200
    response = coordination.post(
        add_url,
        {
            "publisher": publisher.pk,
            "issuer_name": "Amicale du Nid 93",
            "signatory_name": "Claire Dupont",
            "signatory_role": "Directrice",
            "accent_colour": "#7a2e5c",
            "footer_text": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    template = CertificateTemplate.objects.get(publisher=publisher)
    assert template.issuer_name == "Amicale du Nid 93"

    client.force_login(editor)
    edit_url = reverse("wagtailsnippets_certificates_certificatetemplate:edit", args=[template.pk])
    assert client.get(edit_url).status_code == 302


@pytest.mark.parametrize(
    ("field", "value"),
    [("signatory_name", "Claire\u202eenoD"), ("issuer_name", "Amicale\u200b du Nid")],
)
def test_the_template_signatory_and_issuer_follow_the_name_rule(coordination, field, value):
    """Printed on every certificate: the same rule as people's names (accounts/names.py)."""
    publisher = PublisherFactory(name="Amicale du Nid")
    data = {
        "publisher": publisher.pk,
        "issuer_name": "Amicale du Nid 93",
        "signatory_name": "Claire Dupont",
        "signatory_role": "Directrice",
        "accent_colour": "#7a2e5c",
        "footer_text": "",
        field: value,
    }
    response = coordination.post(
        reverse("wagtailsnippets_certificates_certificatetemplate:add"), data
    )
    assert response.status_code == 200
    assert response.context["form"].has_error(field, "control_characters")
    assert not CertificateTemplate.objects.exists()
