"""Certificate layout, read back from the PDF: every text inside its box, nothing small.

Both kinds (attestation, certificat de réalisation) are rendered with the longest
name the forms allow (each part at its field's `max_length`, one word without a
space: nothing to break it on) and the longest other values, then checked with
pypdf: one page, the name inside the body, no text over another, nothing under 8.5 pt,
name and the line under it on separate lines of the text layer.
"""

from datetime import date

import pytest

from accounts.models import User
from accounts.professions import Profession
from certificates.models import CertificateKind, CertificateTemplate
from certificates.pdf import pdf_subject, render_certificate_pdf_bytes
from tests.pdf_layout import MM, assert_no_text_over_another, page_count, runs_of, text_runs

from .test_pdf import pdf_text, reader_of, squeezed

pytestmark = pytest.mark.django_db

PAGE_MARGIN = 8 * MM  # @page margin of static/pdf/certificate.css: the border's inside
PAGE_PADDING_X = 14 * MM
MIN_POINTS = 8.5


def longest(model, field, letter="W"):
    """The longest value the field allows, one word: `W`, the widest letter."""
    return letter * model._meta.get_field(field).max_length


def longest_values(kind):
    return {
        "kind": kind,
        "holder_first_name": longest(User, "first_name"),
        "holder_last_name": longest(User, "last_name"),
        "holder_organisation": longest(User, "organisation", "O"),
        "holder_profession": max(map(str, Profession.labels), key=len),
        "title": ("Formation longue sur le repérage " * 10)[:255],
        "publisher_name": ("Observatoire départemental " * 8)[:200],
        "objectives_summary": "Objectif très détaillé. " * 200,
        "issuer_name": ("Association départementale " * 8)[:200],
        "signatory_name": longest(CertificateTemplate, "signatory_name", "M"),
        "signatory_role": longest(CertificateTemplate, "signatory_role", "R"),
        "footer_text": ("Mentions légales de l'organisme. " * 20)[:500],
        "elearning_minutes": 95,
        "expires_on": date(2031, 1, 19),
    }


def page_width_and_height(payload):
    page = reader_of(payload).pages[0]
    return float(page.mediabox.width), float(page.mediabox.height)


@pytest.mark.parametrize("kind", [CertificateKind.COMPLETION, CertificateKind.ACHIEVEMENT])
def test_the_longest_name_stays_inside_its_box_on_one_page(make_certificate, kind):
    ordinary = render_certificate_pdf_bytes(make_certificate(kind=kind, sequence=1))
    values = longest_values(kind)
    payload = render_certificate_pdf_bytes(make_certificate(sequence=2, **values))

    assert page_count(payload) == page_count(ordinary) == 1
    width, height = page_width_and_height(payload)
    runs = text_runs(payload)
    name = f"{values['holder_first_name']} {values['holder_last_name']}"
    # The whole name is printed, wrapped over several lines of the body's width.
    name_runs = runs_of(runs, name)
    assert squeezed("".join(run.text for run in name_runs)) == squeezed(name)
    assert len({run.top for run in name_runs}) > 1
    body_left, body_right = PAGE_MARGIN + PAGE_PADDING_X, width - PAGE_MARGIN - PAGE_PADDING_X
    lead = next(run for run in runs if run.text == "Nous certifions que")
    for run in name_runs:
        assert body_left - 1 <= run.left and run.right <= body_right + 1, run
        assert run.top > lead.top, run
    # Everything on the page, inside the border, and no text over another: the hours
    # and dates are above the signature band, the signatory beside the verification.
    for run in runs:
        assert run.left >= PAGE_MARGIN and run.right <= width - PAGE_MARGIN, run
        assert PAGE_MARGIN <= run.top <= height - PAGE_MARGIN, run
    assert_no_text_over_another(runs)
    text = pdf_text(payload)
    assert "Heures suivies" in text or "Durée prévue" in text
    assert values["signatory_name"][:40] in squeezed(text)


@pytest.mark.parametrize("kind", [CertificateKind.COMPLETION, CertificateKind.ACHIEVEMENT])
def test_nothing_on_a_certificate_is_under_8_5_points(make_certificate, kind):
    for sequence, values in enumerate(({}, longest_values(kind)), start=1):
        certificate = make_certificate(sequence=sequence, **{**values, "kind": kind})
        runs = text_runs(render_certificate_pdf_bytes(certificate))
        small = [
            f"{run} {run.font_size:.1f} pt" for run in runs if run.font_size < MIN_POINTS - 0.01
        ]
        assert not small
        # The objectives and the legal footer are printed, at 8.5 pt or more.
        assert any(run.text.startswith("Objectifs") for run in runs)
        assert any(certificate.footer_text[:20] in run.text for run in runs)


def test_the_name_and_the_line_under_it_are_two_lines_of_text(make_certificate):
    for kind, line in [
        (CertificateKind.COMPLETION, "Infirmier·e scolaire"),
        (CertificateKind.ACHIEVEMENT, "Collège Jean Moulin"),
    ]:
        certificate = make_certificate(
            sequence=1 if kind == CertificateKind.COMPLETION else 2,
            kind=kind,
            holder_first_name="Inès",
            holder_last_name="Moreau",
            holder_profession="Infirmier·e scolaire",
            holder_organisation="Collège Jean Moulin",
        )
        lines = pdf_text(render_certificate_pdf_bytes(certificate)).splitlines()
        assert "Inès Moreau" in lines
        assert line in lines


def test_the_subject_elides_de_before_a_vowel(make_certificate):
    assert (
        pdf_subject(
            make_certificate(sequence=1, holder_first_name="Inès", holder_last_name="Moreau")
        )
        == "Attestation de fin de formation d'Inès Moreau : "
        "Repérer et protéger : la prostitution des mineur·e·s"
    )
    assert pdf_subject(
        make_certificate(sequence=2, holder_first_name="Camille", holder_last_name="Martin")
    ).startswith("Attestation de fin de formation de Camille Martin :")
    payload = render_certificate_pdf_bytes(
        make_certificate(sequence=3, holder_first_name="Élodie", holder_last_name="Durand")
    )
    assert reader_of(payload).metadata.subject.startswith(
        "Attestation de fin de formation d'Élodie Durand :"
    )
