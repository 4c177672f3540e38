"""Editorial set-up of the guides section: workflow, page and media permissions.

`ensure_editorial_setup(index_page)` is idempotent. Migration 0002 calls the parts
that need no page (workflow, task, admin access); the demo loader calls it once the
GuideIndexPage exists. Wagtail's model: https://docs.wagtail.org/en/stable/topics/permissions.html
"""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

from accounts import roles

WORKFLOW_NAME = "Relecture juridique"
TASK_NAME = "Validation juridique"

#: Page permissions on the guides section, per role. Rédacteur·rice can draft and
#: submit for review, never publish; publishing goes through the legal reviewers.
PAGE_PERMISSIONS = {
    roles.REDACTEUR: ["add_page", "change_page"],
    roles.RELECTEUR_JURIDIQUE: ["change_page", "publish_page"],
    roles.COORDINATION: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
MEDIA_ROLES = [roles.REDACTEUR, roles.COORDINATION]
MEDIA_PERMISSIONS = {
    "wagtailimages": ["add_image", "choose_image"],
    "wagtaildocs": ["add_document", "choose_document"],
}


def ensure_workflow(apps=global_apps):
    """The workflow « Relecture juridique » with one group approval task."""
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group_model = apps.get_model("auth", "Group")

    reviewers, _ = group_model.objects.get_or_create(name=roles.RELECTEUR_JURIDIQUE)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        # In a migration the historical model does not fill the polymorphic
        # content type that Wagtail's Task.specific relies on.
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, active=True, content_type=content_type
        )
    task.groups.add(reviewers)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


def grant_admin_access(apps=global_apps):
    """Staff roles reach the Wagtail admin; professionals never do."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = permission_model.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    for name in roles.STAFF_ROLES:
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.add(access_admin)


def grant_section_permissions(index_page):
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission

    for role, codenames in PAGE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        for codename in codenames:
            permission = Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            )
            GroupPagePermission.objects.get_or_create(
                group=group, page=index_page, permission=permission
            )
    root_collection = Collection.get_first_root_node()
    for role in MEDIA_ROLES:
        group = Group.objects.get(name=role)
        for app_label, codenames in MEDIA_PERMISSIONS.items():
            for codename in codenames:
                permission = Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )


def attach_workflow(index_page, workflow):
    from wagtail.models import WorkflowPage

    WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": workflow})


def ensure_editorial_setup(index_page):
    """Workflow, admin access, section and media permissions for the guides section."""
    from wagtail.models import Workflow

    ensure_workflow()
    grant_admin_access()
    attach_workflow(index_page, Workflow.objects.get(name=WORKFLOW_NAME))
    grant_section_permissions(index_page)
