"""Run axe-core (vendored from npm) in a Playwright page and report its violations.

Every rule runs, whatever its tags: WCAG A/AA, the AAA ones (enhanced contrast, 7:1),
best practices and the experimental rules (`p-as-heading`), which axe leaves out by
default. Any violation fails, whatever its impact.
"""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()

RUN_ALL_RULES = """
async ([context, skipped]) => {
  const rules = Object.fromEntries(
    axe.getRules().map((rule) => [rule.ruleId, {enabled: !skipped.includes(rule.ruleId)}])
  );
  return await axe.run(context || document, {resultTypes: ['violations'], rules});
}
"""


def violations(page, context=None, skipped=()):
    """Inject axe-core and return every violation of the page, or of `context` (a
    selector), with every rule but the `skipped` ones."""
    # Evaluated through the DevTools protocol, not as an inline <script> (add_script_tag),
    # which the pages' Content-Security-Policy refuses.
    page.evaluate(AXE_SOURCE + "\n;0")
    result = page.evaluate(RUN_ALL_RULES, [context, list(skipped)])
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def assert_accessible(page, context=None):
    found = violations(page, context)
    assert found == [], f"axe-core on {page.url}: {found}"
