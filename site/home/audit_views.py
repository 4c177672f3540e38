"""« Journal d'audit »: the security audit log, in the admin's Reports menu, for Coordination.

Wagtail's own « Historique du site » shows each person the entries of the objects
they may edit; the audit log instead shows every audit entry (`core.audit`) to
Coordination and superusers, whatever the object, and to nobody else (404). Built
on Wagtail's site history report: same filters, same CSV/XLSX export (written by
the spreadsheet rule, `core.spreadsheets`), and exporting it is itself logged.
https://docs.wagtail.org/en/stable/extending/audit_log.html
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import IntegerField, Value
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import ContentTypeFilter
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.log_actions import registry as log_action_registry

from accounts import roles
from core import audit
from core.spreadsheets import SpreadsheetExport


def can_read_audit_log(user):
    return roles.is_coordination(user)


def audit_entries(log_model):
    return log_model.objects.filter(audit.audit_condition())


def across_log_tables(read):
    """`read(audit entries)` of every Wagtail log table, as one set (ids, actions…)."""
    found = set()
    for log_model in log_action_registry.get_log_entry_models():
        found.update(read(audit_entries(log_model)))
    return found


def audit_content_types(request):
    ids = across_log_tables(lambda entries: entries.get_content_type_ids())
    return ContentType.objects.filter(pk__in=ids).order_by("model")


class AuditLogFilterSet(SiteHistoryReportFilterSet):
    object_type = ContentTypeFilter(
        label=_("Type"), method="filter_object_type", queryset=audit_content_types
    )

    def get_action_choices(self):
        used = across_log_tables(lambda entries: entries.get_actions())
        return [choice for choice in log_action_registry.get_choices() if choice[0] in used]

    def get_users_queryset(self):
        # What Wagtail 8's HistoryFilterSet asks for the « Utilisateur » filter (its
        # default reads page history only; `get_user_choices` is no longer called).
        ids = across_log_tables(lambda entries: entries.get_user_ids())
        User = get_user_model()
        return User.objects.filter(pk__in=ids).order_by("last_name", "first_name", "email")


class AuditLogView(SpreadsheetExport, LogEntriesView):
    page_title = _("Journal d'audit")
    header_icon = "lock"
    filterset_class = AuditLogFilterSet
    index_url_name = "reperes_audit_log"
    index_results_url_name = "reperes_audit_log_results"
    export_stem = "journal-audit"

    def dispatch(self, request, *args, **kwargs):
        if not can_read_audit_log(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_filtered_queryset(self):
        """Site history's union of log tables, restricted to audit entries."""
        self.log_models = list(log_action_registry.get_log_entry_models())
        queryset = None
        for index, log_model in enumerate(self.log_models):
            rows = (
                audit_entries(log_model)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            rows = self.filter_queryset(rows).order_by()
            queryset = rows if queryset is None else queryset.union(rows, all=True)
        return queryset.order_by("-timestamp")

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:  # object_list is already a list (decorate_paginated_queryset)
            audit.log_data_export(
                self.request.user,
                self.request.user,
                what="audit_log",
                export_format=self.request.GET.get("export", ""),
                count=len(context["object_list"]),
            )
        return super().render_to_response(context, **response_kwargs)


class AuditLogMenuItem(MenuItem):
    def is_shown(self, request):
        return can_read_audit_log(request.user)
