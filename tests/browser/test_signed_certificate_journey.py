"""Journey: a professional downloads the signed PDF and the badge; anyone drops them on
/verifier/ and reads « authentique et intact »; an edited copy reads « modifié »."""

import base64
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from certificates.badges import envelope
from certificates.models import Certificate
from tests.browser.axe import assert_accessible
from tests.certificates.helpers import complete_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def edited_copy(original: Path, target: Path) -> Path:
    """What a PDF editor's « save » leaves when someone changes the hours: here one
    byte inside the first page's content stream, within the signed byte range."""
    data = bytearray(original.read_bytes())
    start = data.index(b"stream", data.index(b"/Type /Page")) + len(b"stream\n") + 20
    data[start] ^= 0x01
    target.write_bytes(bytes(data))
    return target


def renamed(badge_text: str) -> str:
    """The badge's JWT with another training name and the original signature."""
    header, payload, signature = envelope.unwrap(badge_text).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] = "Formation que je n’ai pas suivie"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_signed_pdf_and_badge_are_verified_by_anyone(
    page, live_server, logged_in, professional, settings, tmp_path
):
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    base = live_server.url
    module, _completion = complete_module(professional, title="Accueillir la parole")
    certificate = Certificate.objects.get(holder=professional, module=module)
    assert certificate.signed_at and certificate.badge_jwt

    # « Mes certificats »: the signed PDF, the badge, the LinkedIn link.
    logged_in(professional)
    page.goto(f"{base}/espace/certificats/")
    row = page.get_by_role("row", name=re.compile("Accueillir la parole"))
    expect(
        row.get_by_role("link", name=re.compile("Ajouter à mon profil LinkedIn"))
    ).to_have_attribute(
        "href", re.compile(r"^https://www\.linkedin\.com/profile/add\?startTask=CERTIFICATION_NAME")
    )
    assert_accessible(page)
    with page.expect_download() as pdf_download:
        row.get_by_role("link", name=re.compile("Télécharger le PDF")).click()
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    with page.expect_download() as badge_download:
        row.get_by_role("link", name=re.compile("Badge numérique")).click()
    badge_path = tmp_path / badge_download.value.suggested_filename
    badge_download.value.save_as(badge_path)
    assert badge_path.name == f"open-badge-{certificate.number.lower()}.json"
    assert json.loads(badge_path.read_text())["type"] == "EnvelopedVerifiableCredential"
    assert professional.email not in badge_path.read_text()

    # Anyone, signed out, drops the PDF on /verifier/.
    visitor = page.context.browser.new_page()
    visitor.goto(f"{base}/verifier/")
    assert_accessible(visitor)
    visitor.get_by_label("Fichier PDF du certificat").set_input_files(pdf_path)
    visitor.get_by_role("button", name="Vérifier le fichier").click()
    expect(
        visitor.get_by_role("heading", level=2, name="Document authentique et intact")
    ).to_be_visible()
    expect(visitor.get_by_role("table")).to_contain_text(certificate.number)
    assert_accessible(visitor)

    # An edited copy.
    visitor.get_by_role("link", name="Vérifier un autre fichier").click()
    visitor.get_by_label("Fichier PDF du certificat").set_input_files(
        edited_copy(pdf_path, tmp_path / "modifie.pdf")
    )
    visitor.get_by_role("button", name="Vérifier le fichier").click()
    expect(
        visitor.get_by_role("heading", level=2, name="Document modifié après sa délivrance")
    ).to_be_visible()
    assert_accessible(visitor)

    # The badge file, then the same badge pasted as text.
    visitor.goto(f"{base}/verifier/")
    visitor.get_by_label("Fichier du badge").set_input_files(badge_path)
    visitor.get_by_role("button", name="Vérifier le badge").click()
    expect(visitor.get_by_role("heading", level=2, name="Badge authentique")).to_be_visible()
    expect(visitor.get_by_role("table")).to_contain_text(certificate.number)
    assert_accessible(visitor)
    visitor.goto(f"{base}/verifier/")
    visitor.get_by_label("Ou le contenu du badge, collé ici").fill(renamed(badge_path.read_text()))
    visitor.get_by_role("button", name="Vérifier le badge").click()
    expect(visitor.get_by_role("heading", level=2, name="Badge refusé")).to_be_visible()
    assert_accessible(visitor)
    visitor.close()
