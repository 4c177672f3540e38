"""Editorial set-up of the modules section: the same roles and review as the guides.

Rédacteur·rice drafts and submits modules under /formations/, the legal reviewers
approve (modules state the law too), Coordination can also publish.
`ensure_course_setup(index_page)` is idempotent; the demo loader calls it once the
ModuleIndexPage exists. https://docs.wagtail.org/en/stable/topics/permissions.html
"""

from wagtail.models import Workflow

from guides.setup import (
    WORKFLOW_NAME,
    attach_workflow,
    ensure_workflow,
    grant_admin_access,
    grant_section_permissions,
)


def ensure_course_setup(index_page):
    """Workflow, admin access, page and media permissions on the modules section."""
    ensure_workflow()
    grant_admin_access()
    attach_workflow(index_page, Workflow.objects.get(name=WORKFLOW_NAME))
    grant_section_permissions(index_page)
