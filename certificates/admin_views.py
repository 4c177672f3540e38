"""Wagtail admin views of certificates, for Coordination.

Certificates are never created or edited here: the listing (with its XLSX export),
the detail page and the lifecycle actions (revoke, re-issue) only, each behind its
own permission. The ZIP and PDF downloads are in `certificates/exports.py`. Views are
thin: every change goes through `certificates.services`.
Wagtail's generic views: https://docs.wagtail.org/en/stable/extending/generic_views.html
"""

import re

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin import messages
from wagtail.admin.paginator import WagtailPaginator
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.models import ModelLogEntry

from certificates import services
from certificates.admin_forms import CertificateFilterSet, ReasonForm
from certificates.codes import normalise_code
from certificates.errors import CertificateError
from certificates.exports import XLSX_COLUMNS, log_export
from certificates.models import Certificate, CertificateStatus
from core.spreadsheets import SpreadsheetExport

#: A search is at most this many words (each one must match somewhere).
SEARCH_MAX_WORDS = 6
#: A whole certificate number, as `services.allocate_number` writes it (any case).
FULL_NUMBER = re.compile(rf"{services.NUMBER_PREFIX}-\d{{4}}-\d{{6}}", re.IGNORECASE)
#: Longest replacement chain walked on the detail page (re-issues are rare).
CHAIN_MAX_LENGTH = 50
#: A search counts its matches up to this many: past it, « plus de 500, précisez ».
SEARCH_COUNT_CAP = 500


def search_condition(query):
    """What a Coordination search matches.

    - a verification code, typed with or without dashes, in any case, with Crockford
      folding (O→0, I/L→1): exact match only — a partial code finds nothing;
    - a number (`RP-2026-000123`: that one only; or part of it);
    - words, each of which must appear in the holder's first or last name, the
      certified title or the module's current title.

    Every branch reads a column of the certificate itself, so that PostgreSQL combines
    the trigram indexes of migration 0009 (a bitmap OR) instead of reading 150,000
    rows: the modules whose title matches a word are looked up first (a few rows, one
    query per word) and matched by id.
    """
    query = query.strip()
    if FULL_NUMBER.fullmatch(query):
        # A whole number is one certificate: the unique index finds it at once, where
        # its common trigrams (« RP- », « 202 ») would walk long lists in every index.
        # (Its 12 symbols read as a verification code too: kept, for a code that
        # happened to look like a number.)
        return Q(number=query.upper()) | Q(code=normalise_code(query))
    condition = Q(number__icontains=query)
    if code := normalise_code(query):
        condition |= Q(code=code)
    words = query.split()[:SEARCH_MAX_WORDS]
    if words:
        every_word = Q()
        for word in words:
            every_word &= (
                Q(holder_first_name__icontains=word)
                | Q(holder_last_name__icontains=word)
                | Q(title__icontains=word)
                | Q(module_id__in=modules_titled(word))
            )
        condition |= every_word
    return condition


def modules_titled(word):
    """Ids of the modules whose current title holds `word` (there are a few dozen)."""
    from courses.models import ModulePage

    return list(ModulePage.objects.filter(title__icontains=word).values_list("pk", flat=True))


class CappedSearchPaginator(WagtailPaginator):
    """The pager of a search: counts up to `SEARCH_COUNT_CAP` matches, not all of them.

    A common surname matches thousands of certificates; counting them all reads every
    matching row (`COUNT(*)` has no LIMIT) for a figure nobody needs: past a few
    hundred, the search has to be narrowed anyway. `LIMIT cap + 1` lets PostgreSQL stop
    early; the pages beyond the cap are not offered.
    """

    cap = SEARCH_COUNT_CAP

    @cached_property
    def matches(self):
        """How many match, up to `cap + 1` (one more says « more than the cap »)."""
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def capped(self):
        return self.matches > self.cap

    @cached_property
    def count(self):
        return min(self.matches, self.cap)

    @cached_property
    def items_count_label(self):
        if self.capped:
            return _("plus de %(count)s certificats") % {"count": self.cap}
        return WagtailPaginator.items_count_label.func(self)


def action_available(certificate, action):
    """Whether revoke/reissue can apply to the certificate as it is now."""
    if certificate.revoked_at or certificate.replaced_at:
        return False
    return action != "reissue" or certificate.holder_id is not None


class CertificateViewMixin:
    """URL names shared by the certificate views (set by the viewset)."""

    inspect_url_name = None
    revoke_url_name = None
    reissue_url_name = None
    pdf_url_name = None
    zip_url_name = None

    def action_url(self, action, certificate):
        url_name = {"revoke": self.revoke_url_name, "reissue": self.reissue_url_name}[action]
        return reverse(url_name, args=(quote(certificate.pk),))

    def action_buttons(self, certificate, button_class=Button):
        if not self.user_has_permission("revoke"):
            return []
        labels = {
            "revoke": (_("Révoquer"), "cross"),
            "reissue": (_("Réémettre"), "resubmit"),
        }
        return [
            button_class(label, url=self.action_url(action, certificate), icon_name=icon)
            for action, (label, icon) in labels.items()
            if action_available(certificate, action)
        ]


class CertificateIndexView(CertificateViewMixin, SpreadsheetExport, IndexView):
    """The list: search, filters, XLSX export of the filtered list (no CSV).

    The spreadsheet follows the project's rule (`core.spreadsheets`): texts as text
    cells, times in Paris, a French file name with the date.
    """

    FORMATS = (IndexView.FORMAT_XLSX,)
    results_template_name = "certificates/admin/index_results.html"
    filterset_class = CertificateFilterSet
    search_fields = ["number"]  # makes the list searchable; `search_queryset` does the work
    list_export = [field for field, _heading in XLSX_COLUMNS]
    export_headings = dict(XLSX_COLUMNS)
    export_stem = "certificats"
    show_export_buttons = False  # our own buttons, shown with the export permission only

    def dispatch(self, request, *args, **kwargs):
        if self.is_export and not self.user_has_permission("export"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def columns(self):
        return [
            self._get_title_column("number"),
            Column("holder_name", label=gettext_lazy("Titulaire"), sort_key="holder_last_name"),
            Column("title", label=gettext_lazy("Intitulé"), sort_key="title"),
            Column("get_kind_display", label=gettext_lazy("Type"), sort_key="kind"),
            Column(
                "issued_on",
                label=gettext_lazy("Émis le"),
                accessor=lambda certificate: timezone.localdate(certificate.issued_at),
                sort_key="issued_at",
            ),
            StatusTagColumn(
                "status_label",
                label=gettext_lazy("Statut"),
                primary=lambda certificate: certificate.status() == CertificateStatus.VALID,
            ),
        ]

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        return queryset.filter(search_condition(self.search_query))

    def get_paginator(self, queryset, *args, **kwargs):
        # The whole list keeps its exact count (one COUNT on an unfiltered table is
        # cheap); a search counts up to the cap (CappedSearchPaginator).
        if self.is_searching:
            return CappedSearchPaginator(queryset, *args, **kwargs)
        return super().get_paginator(queryset, *args, **kwargs)

    def get_list_more_buttons(self, instance):
        return super().get_list_more_buttons(instance) + self.action_buttons(instance)

    @cached_property
    def header_buttons(self):
        if not self.user_has_permission("export"):
            return []
        return [
            HeaderButton(
                _("Télécharger les PDF (ZIP)"), url=reverse(self.zip_url_name), icon_name="download"
            ),
            HeaderButton(
                _("Télécharger la liste (XLSX)"), url=self.xlsx_export_url, icon_name="table"
            ),
        ]

    def render_to_response(self, context, **response_kwargs):
        if self.is_export:
            rows = list(context["object_list"])
            # The filters are logged, not the search: it may be a verification code.
            filters = self.request.GET.copy()
            for name in (self.search_kwarg, "export", self.page_kwarg):
                filters.pop(name, None)
            log_export(
                rows,
                user=self.request.user,
                export_format="xlsx",
                filters=filters.urlencode(),
                searched=self.is_searching,
            )
            return self.as_spreadsheet(rows, self.FORMAT_XLSX)
        return super().render_to_response(context, **response_kwargs)


class CertificateInspectView(CertificateViewMixin, InspectView):
    """What was issued (the snapshot), its replacement chain and its history."""

    template_name = "certificates/admin/inspect.html"
    page_title = gettext_lazy("Certificat")

    def get_object(self, queryset=None):
        return get_object_or_404(
            Certificate.objects.select_related("holder", "module", "revoked_by"), pk=self.pk
        )

    def get_fields(self):
        return []  # the template lays the snapshot out itself

    @cached_property
    def header_buttons(self):
        buttons = self.action_buttons(self.object, button_class=HeaderButton)
        if self.object.pdf and self.user_has_permission("export"):
            buttons.append(
                HeaderButton(
                    _("Télécharger le PDF"),
                    url=reverse(self.pdf_url_name, args=(quote(self.object.pk),)),
                    icon_name="download",
                )
            )
        return buttons

    def replacement_chain(self):
        """The certificates this one replaced and was replaced by, oldest first."""
        chain = [self.object]
        while chain[0].replaces_id and len(chain) < CHAIN_MAX_LENGTH:
            chain.insert(0, Certificate.objects.get(pk=chain[0].replaces_id))
        while chain[-1].replaced_at and len(chain) < CHAIN_MAX_LENGTH:
            following = Certificate.objects.filter(replaces=chain[-1]).first()
            if following is None:
                break
            chain.append(following)
        return chain

    def history(self, chain):
        """Audit log entries of the whole chain, newest first."""
        numbers = {str(certificate.pk): certificate.number for certificate in chain}
        entries = list(
            ModelLogEntry.objects.filter(
                content_type__app_label="certificates",
                content_type__model="certificate",
                object_id__in=list(numbers),
            )
            .select_related("user")
            .order_by("-timestamp", "-pk")
        )
        for entry in entries:
            entry.certificate_number = numbers[entry.object_id]
        return entries

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chain = self.replacement_chain()
        context.update(
            certificate=self.object,
            status=self.object.status(),
            statuses=CertificateStatus,
            chain=chain if len(chain) > 1 else [],
            history=self.history(chain),
            verification_url=self.object.get_verification_url(),
            index_url=reverse(self.index_url_name),
        )
        return context


class CertificateActionView(
    CertificateViewMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView
):
    """A confirmation page with a required reason; the change happens on POST only."""

    model = Certificate
    permission_required = "revoke"
    form_class = ReasonForm
    template_name = "certificates/admin/confirm_action.html"
    index_url_name = None
    action = None
    header_icon = "doc-full"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            Certificate.objects.select_related("holder"), pk=kwargs["pk"]
        )

    def get_page_subtitle(self):
        return self.object.number

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": _("Certificats")},
            {
                "url": reverse(self.inspect_url_name, args=(quote(self.object.pk),)),
                "label": self.object.number,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            certificate=self.object,
            available=action_available(self.object, self.action),
            action=self.action,
            action_url=self.action_url(self.action, self.object),
            inspect_url=reverse(self.inspect_url_name, args=(quote(self.object.pk),)),
        )
        return context

    def form_valid(self, form):
        try:
            result = self.perform(form.cleaned_data["reason"])
        except CertificateError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message(result))
        return redirect(self.inspect_url_name, quote(result.pk))

    def perform(self, reason):
        raise NotImplementedError


class RevokeView(CertificateActionView):
    action = "revoke"
    page_title = gettext_lazy("Révoquer le certificat")

    def perform(self, reason):
        return services.revoke_certificate(self.object, by=self.request.user, reason=reason)

    def success_message(self, certificate):
        return _("Le certificat %(number)s est révoqué.") % {"number": certificate.number}


class ReissueView(CertificateActionView):
    action = "reissue"
    page_title = gettext_lazy("Réémettre le certificat")

    def perform(self, reason):
        return services.reissue_certificate(self.object, by=self.request.user, reason=reason)

    def success_message(self, certificate):
        return _("Le certificat %(new)s remplace le %(old)s.") % {
            "new": certificate.number,
            "old": self.object.number,
        }
