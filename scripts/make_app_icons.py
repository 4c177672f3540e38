"""Draw the installable app's icons (static/img/icons/) from the favicon's design.

Run once, by hand, when the design changes: `.venv/bin/python scripts/make_app_icons.py`.
The PNGs are committed (no build step). The drawing is the favicon's (static/img/
favicon.svg): a survey marker (« repère ») — a white ring, four ticks, a yellow
centre point — on the site's primary blue (#1c4f82, static/css/site.css).
A « maskable » icon keeps the drawing inside the central 80 % safe zone and fills
the whole square, so that a launcher may cut it to a circle or a squircle.
"""

from pathlib import Path

from PIL import Image, ImageDraw

PRIMARY = "#1c4f82"
WHITE = "#ffffff"
FOCUS_YELLOW = "#ffd166"
OUT = Path(__file__).resolve().parent.parent / "static" / "img" / "icons"
# Drawn at 4x then reduced: smooth edges without an SVG renderer.
SUPERSAMPLE = 4


def draw_marker(size, *, rounded, scale):
    """The marker on a `size`-pixel square; `scale` shrinks the drawing (maskable)."""
    big = size * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    unit = big / 48  # the favicon's viewBox is 48 units wide
    if rounded:
        draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=10 * unit, fill=PRIMARY)
    else:
        draw.rectangle((0, 0, big, big), fill=PRIMARY)
    centre = big / 2
    unit *= scale
    stroke = round(3.5 * unit)
    ring = 11 * unit
    draw.ellipse(
        (centre - ring, centre - ring, centre + ring, centre + ring), outline=WHITE, width=stroke
    )
    for inner, outer in ((-18.5, -12.5), (12.5, 18.5)):
        draw.line((centre, centre + inner * unit, centre, centre + outer * unit), WHITE, stroke)
        draw.line((centre + inner * unit, centre, centre + outer * unit, centre), WHITE, stroke)
    dot = 4.5 * unit
    draw.ellipse((centre - dot, centre - dot, centre + dot, centre + dot), fill=FOCUS_YELLOW)
    return image.resize((size, size), Image.LANCZOS)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for size in (192, 512):
        draw_marker(size, rounded=True, scale=1).save(OUT / f"icon-{size}.png", optimize=True)
    # Maskable: full bleed, the drawing within the safe zone (a circle of 40 % radius).
    draw_marker(512, rounded=False, scale=0.72).save(OUT / "maskable-512.png", optimize=True)
    # iOS draws its own rounded corners and ignores transparency: full bleed, 180 px.
    apple = draw_marker(180, rounded=False, scale=0.85).convert("RGB")
    apple.save(OUT / "apple-touch-icon.png", optimize=True)


if __name__ == "__main__":
    main()
