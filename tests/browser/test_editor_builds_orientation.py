"""Journey: an editor (rédacteur) adds a question to the « Que faire ? » path and sends
it to « Relecture juridique »; a legal reviewer approves it and makes it the path's
first question; a professional then walks it to its outcome."""

import pytest
from playwright.sync_api import expect

from guides.models import OrientationPage, OrientationStepPage
from tests.browser.axe import assert_accessible
from tests.browser.test_editor_publishes_guide import log_in
from tests.guides.orientation_factories import make_orientation, make_outcome

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def choose_page(page, field_id, title, query=None):
    """Wagtail's page chooser: open it, search for `query` (the title), pick `title`."""
    page.locator(f"#{field_id}-chooser .chooser__choose-button").click()
    modal = page.locator(".modal")
    modal.locator("input[name=q]").fill(query or title)
    modal.get_by_role("link", name=title).first.click()
    expect(modal).to_be_hidden()
    expect(page.locator(f"#{field_id}")).not_to_have_value("")


def settle(page):
    """Let Wagtail 8's autosave finish before an action button is pressed (see
    `wait_for_autosave`): an autosave fires half a second after a keystroke, and one
    refused while the form was incomplete leaves the form on the « add » URL."""
    page.wait_for_timeout(1000)
    page.wait_for_load_state("networkidle")


def choose_target(page, index, title):
    choose_page(page, f"id_answers-{index}-target", title)


def test_editor_submits_a_question_reviewer_publishes_it(browser, live_server, editor, reviewer):
    orientation = make_orientation()
    make_outcome(orientation, "appeler-le-17", title="Appeler le 17")
    make_outcome(orientation, "transmettre", title="Transmettre une information préoccupante")

    editor_page = browser.new_context().new_page()
    log_in(editor_page, live_server.url, editor.email)
    editor_page.goto(
        f"{live_server.url}/admin/pages/add/guides/orientationsteppage/{orientation.pk}/"
    )
    # The answers' targets first: choosing a page types nothing, so the autosave that
    # follows the last keystroke must see a complete form.
    editor_page.locator("#id_title").fill("Danger immédiat ?")
    editor_page.locator("#id_title").press("Tab")  # the slug follows the title on blur
    choose_target(editor_page, 0, "Appeler le 17")
    choose_target(editor_page, 1, "Transmettre une information préoccupante")
    editor_page.locator("#id_answers-0-label").fill("Oui")
    editor_page.locator("#id_answers-1-label").fill("Non, mais je suis inquiet·e")
    editor_page.locator("#id_question").fill("Le ou la jeune est-il·elle en danger immédiat ?")
    settle(editor_page)
    editor_page.locator("footer").get_by_role("button", name="Plus d'actions").click()
    expect(editor_page.get_by_role("button", name="Publier")).to_have_count(0)
    editor_page.get_by_role("button", name="Soumettre à Relecture juridique").click()
    expect(editor_page.locator(".messages")).to_contain_text("soumise")
    step = OrientationStepPage.objects.get(title="Danger immédiat ?")
    assert not step.live

    reviewer_page = browser.new_context().new_page()
    log_in(reviewer_page, live_server.url, reviewer.email)
    reviewer_page.goto(f"{live_server.url}/admin/pages/{step.pk}/edit/")
    reviewer_page.locator("footer").get_by_role("button", name="Plus d'actions").click()
    reviewer_page.get_by_role("button", name="Approuver", exact=True).click()
    expect(reviewer_page.locator(".messages")).to_contain_text("mise à jour")
    step.refresh_from_db()
    assert step.live

    # The reviewer makes it the first question of the path (reviewers publish).
    reviewer_page.goto(f"{live_server.url}/admin/pages/{orientation.pk}/edit/")
    choose_page(reviewer_page, "id_start_step", "Danger immédiat ?", query="Danger")
    # Choosing a page types nothing: no autosave to wait for on an existing page.
    reviewer_page.locator("footer").get_by_role("button", name="Plus d'actions").click()
    reviewer_page.get_by_role("button", name="Publier", exact=True).click()
    expect(reviewer_page.locator(".messages")).to_contain_text("publiée")
    assert OrientationPage.objects.get().start_step_id == step.pk

    anonymous = browser.new_context().new_page()
    anonymous.goto(f"{live_server.url}/que-faire/")
    anonymous.get_by_role("link", name="Non, mais je suis inquiet·e").click()
    expect(anonymous.get_by_role("heading", level=1)).to_have_text(
        "Transmettre une information préoccupante"
    )
    assert anonymous.url.endswith("/que-faire/non-mais-je-suis-inquiete/")
    assert_accessible(anonymous)
