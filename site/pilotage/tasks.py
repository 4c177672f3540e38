"""Background work of the dashboard: the « bilan » PDF (pilotage/bilan.py)."""

from django_tasks import task


@task()
def render_bilan_report(report_id):
    """Render and store one report; a ready or failed report is not rendered again."""
    from .bilan import render_report

    render_report(report_id)
