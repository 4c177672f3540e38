"""Serving the « Que faire ? » path: a step (its question and answers as links), an
outcome, or an outcome's fiche. Routing is `OrientationPage.route`; this module turns
the Trail it found into a response, and counts outcomes reached (the only record)."""

from django.http import FileResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control

from core.breadcrumbs import breadcrumb_items

from .counters import PDF, REACHED, count_outcome_hit, is_countable, is_person_reading
from .models.orientation import FICHE_SEGMENT, path_url, routed_outcome


def trail_summary(base_url, trail):
    """(question, answer label, URL to change it) for each answer given, in order."""
    summary = []
    keys = []
    for step, answer in trail.taken:
        summary.append(
            {"question": step.question, "answer": answer.label, "url": path_url(base_url, keys)}
        )
        keys.append(answer.key)
    return summary, keys


def serve_node(request, orientation, trail):
    base_url = orientation.start_url(request)
    summary, keys = trail_summary(base_url, trail)
    here = path_url(base_url, keys)
    context = {
        "page": orientation,
        "self": orientation,
        "orientation": orientation,
        "summary": summary,
        "start_url": base_url,
        "here": here,
        "breadcrumb_items": breadcrumb_items(request, orientation),
        "is_start": not keys,
    }
    if not trail.node.is_outcome:
        context["step"] = trail.node
        context["answers"] = [
            {"label": answer.label, "url": path_url(here, [answer.key])}
            for answer in trail.node.answers
        ]
        return TemplateResponse(request, "guides/orientation_step.html", context)
    outcome = routed_outcome(trail.node.id)
    context.update(outcome=outcome, fiche_url=f"{here}{FICHE_SEGMENT}/")
    response = TemplateResponse(request, "guides/orientation_outcome.html", context)
    response.render()
    if is_countable(request, response):
        count_outcome_hit(outcome.pk, REACHED)
    # Each reaching is counted by Django: the shared page cache must not answer it.
    patch_cache_control(response, private=True)
    return response


def serve_fiche(request, orientation, trail):
    from .fiches import open_fiche

    outcome = routed_outcome(trail.node.id)
    # One fiche per published revision, whatever the path taken: it names the
    # outcome's shortest path.
    fiche, handle = open_fiche(outcome, orientation.node_url(outcome.pk, request) or "")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"fiche-{outcome.slug}.pdf",
        content_type="application/pdf",
    )
    response["ETag"] = f'"{fiche.sha256}"'
    if is_person_reading(request):
        count_outcome_hit(outcome.pk, PDF)
    return response


def serve_preview_node(request, node):
    """Wagtail's preview of a step or an outcome: the draft as it would show, with its
    answers' links pointing nowhere (a preview has no path)."""
    orientation = node.get_parent().specific
    context = {
        "page": node,
        "self": node,
        "orientation": orientation,
        "summary": [],
        "here": "",
        "breadcrumb_items": breadcrumb_items(request, orientation),
        "is_preview": True,
    }
    if hasattr(node, "question"):
        context["step"] = node
        context["answers"] = [{"label": answer.label, "url": "#"} for answer in node.answers.all()]
        return TemplateResponse(request, "guides/orientation_step.html", context)
    context["outcome"] = node
    context["fiche_url"] = ""
    return TemplateResponse(request, "guides/orientation_outcome.html", context)
