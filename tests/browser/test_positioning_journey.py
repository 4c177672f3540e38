"""Journey: a learner rates a module's statements before the first lesson, finishes the
module, then rates them again (« Et maintenant ? ») and sees the two side by side."""

import pytest
from playwright.sync_api import expect

from courses.models import ModulePage, PositioningAnswer
from tests.browser.axe import violations
from tests.courses.factories import build_module

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STATEMENTS = [
    ("s-reperer", "Je sais repérer les signes d'une situation de prostitution d'un·e mineur·e"),
    ("s-transmettre", "Je sais à qui transmettre une information préoccupante"),
]


def positioned_module():
    module, lessons, quiz = build_module(lessons=2, title="Repérer et agir")
    module.positioning = [{"type": "statement", "value": t, "id": k} for k, t in STATEMENTS]
    module.save_revision().publish()
    return ModulePage.objects.get(pk=module.pk), lessons, quiz


def rate(page, statement, label):
    page.locator("fieldset", has_text=statement).get_by_label(label).check()


def test_learner_rates_before_and_after(page, live_server, logged_in, professional):
    module, (first, second), _ = positioned_module()
    logged_in(professional)
    base = live_server.url

    # « Commencer le module » offers the statements before the first lesson.
    page.goto(base + module.url)
    page.get_by_role("button", name="Commencer le module").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Avant de commencer : où en êtes-vous ?"
    )
    expect(page.get_by_role("button", name="Passer")).to_be_visible()
    assert violations(page) == []
    # Forgetting one statement: a clear message, the chosen rating kept.
    rate(page, STATEMENTS[0][1], "1 — pas du tout")
    page.get_by_role("button", name="Enregistrer mes réponses").click()
    expect(page.get_by_role("alert")).to_contain_text("Notez chaque énoncé")
    expect(
        page.locator("fieldset", has_text=STATEMENTS[0][1]).get_by_label("1 — pas du tout")
    ).to_be_checked()
    rate(page, STATEMENTS[1][1], "2 — plutôt non")
    page.get_by_role("button", name="Enregistrer mes réponses").click()

    # On to the first lesson; it is not offered again.
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    expect(page.get_by_text("vos réponses sont enregistrées")).to_be_visible()
    page.get_by_role("button", name="J'ai terminé cette leçon").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(second.title)
    page.get_by_role("button", name="J'ai terminé cette leçon").click()

    # The quiz, passed: the module is completed and « Et maintenant ? » is offered.
    page.get_by_role("button", name="Commencer le quiz").click()
    for label in ("Le ou la mineur·e", "Absences répétées", "Cadeaux inexpliqués", "Faux"):
        page.get_by_label(label, exact=True).check()
    page.get_by_role("button", name="Valider mes réponses").click()
    expect(page.get_by_text("Quiz réussi")).to_be_visible()
    expect(page.get_by_text("Et maintenant ?")).to_be_visible()
    page.get_by_role("link", name="Répondre aux énoncés").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Et maintenant ?")
    expect(page.get_by_role("button", name="Passer")).to_have_count(0)
    rate(page, STATEMENTS[0][1], "3 — plutôt oui")
    rate(page, STATEMENTS[1][1], "4 — tout à fait")
    page.get_by_role("button", name="Enregistrer mes réponses").click()

    table = page.get_by_role("table", name="Vos réponses avant et après le module")
    expect(table).to_be_visible()
    expect(table.get_by_role("row", name=STATEMENTS[0][1])).to_contain_text("1")
    expect(table.get_by_role("row", name=STATEMENTS[0][1])).to_contain_text("3")
    assert violations(page) == []
    stored = set(
        PositioningAnswer.objects.filter(user=professional).values_list(
            "moment", "statement_id", "value"
        )
    )
    assert stored == {
        ("before", "s-reperer", 1),
        ("before", "s-transmettre", 2),
        ("after", "s-reperer", 3),
        ("after", "s-transmettre", 4),
    }

    # The module page no longer offers it.
    page.goto(base + module.url)
    expect(page.get_by_role("link", name="Répondre aux énoncés")).to_have_count(0)
