"""Admin additions of the site shell: the security audit log (Rapports → Journal d'audit)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from .audit_views import AuditLogMenuItem, AuditLogView


@hooks.register("register_admin_urls")
def register_audit_log_urls():
    return [
        path("rapports/journal-audit/", AuditLogView.as_view(), name="reperes_audit_log"),
        path(
            "rapports/journal-audit/resultats/",
            AuditLogView.as_view(results_only=True),
            name="reperes_audit_log_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_audit_log_menu_item():
    return AuditLogMenuItem(
        _("Journal d'audit"),
        reverse("reperes_audit_log"),
        name="audit-log",
        icon_name="lock",
        order=1100,
    )
