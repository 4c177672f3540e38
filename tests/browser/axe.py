"""Run axe-core (vendored from npm) in a Playwright page and report blocking violations."""

from pathlib import Path

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
BLOCKING = {"serious", "critical"}


def blocking_violations(page):
    """Inject axe-core and return the serious or critical violations of the page."""
    # Evaluated through the DevTools protocol, not as an inline <script> (add_script_tag),
    # which the pages' Content-Security-Policy refuses.
    page.evaluate(AXE_SOURCE + "\n;0")
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations'],"
        " runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]


def assert_accessible(page):
    violations = blocking_violations(page)
    assert violations == [], f"axe-core on {page.url}: {violations}"
