"""Certificates in the Wagtail admin: a « Certificats » menu for Coordination.

- « Certificats délivrés »: list, search, filters, detail, revoke, re-issue, exports
  (a `ModelViewSet` without add/edit/delete: certificates are issued by the services,
  never typed in);
- « Modèles de certificat »: the per-publisher `CertificateTemplate` snippet.

Both are shown only to users holding their permissions (granted to Coordination by
migration 0002). The log actions are registered in `certificates/log_actions.py`.
https://docs.wagtail.org/en/stable/extending/generic_views.html
"""

from django.contrib.auth import get_permission_codename
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.panels import ObjectList
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permissions import policy_registry
from wagtail.snippets.views.snippets import SnippetViewSet

from certificates import admin_views, exports, template_admin
from certificates.models import Certificate, CertificateTemplate


class CertificateAdminURLFinder(ModelAdminURLFinder):
    """Links from the audit log go to the detail page (there is no edit page)."""

    def construct_edit_url(self, instance):
        return reverse("certificates_admin:inspect", args=(instance.pk,))

    def get_edit_url(self, instance):
        policy = policy_registry.get(instance)
        if self.user and not policy.user_has_permission(self.user, "view"):
            return None
        return self.construct_edit_url(instance)


class CertificateViewSet(ModelViewSet):
    model = Certificate
    name = "certificates_admin"  # "certificates" is the public app's URL namespace
    url_prefix = "certificats"
    icon = "doc-full"
    menu_label = _("Certificats délivrés")
    index_view_class = admin_views.CertificateIndexView
    inspect_view_class = admin_views.CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    list_per_page = 50
    ordering = ["-issued_at", "-id"]

    @cached_property
    def extra_url_names(self):
        return {
            "inspect_url_name": self.get_url_name("inspect"),
            "revoke_url_name": self.get_url_name("revoke"),
            "reissue_url_name": self.get_url_name("reissue"),
            "pdf_url_name": self.get_url_name("pdf"),
            "zip_url_name": self.get_url_name("zip"),
        }

    def get_common_view_kwargs(self, **kwargs):
        view_kwargs = super().get_common_view_kwargs(**kwargs)
        # No add, edit, copy, delete, history or usage views: their names must not
        # be reversed by the generic views.
        for name in (
            "add_url_name",
            "edit_url_name",
            "delete_url_name",
            "copy_url_name",
            "history_url_name",
            "usage_url_name",
        ):
            view_kwargs[name] = None
        return {**view_kwargs, **self.extra_url_names}

    def action_view(self, view_class):
        return view_class.as_view(index_url_name=self.get_url_name("index"), **self.extra_url_names)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", self.inspect_view, name="inspect"),
            path("<int:pk>/revoquer/", self.action_view(admin_views.RevokeView), name="revoke"),
            path("<int:pk>/reemettre/", self.action_view(admin_views.ReissueView), name="reissue"),
            path(
                "<int:pk>/pdf/",
                exports.PdfDownloadView.as_view(),
                name="pdf",
            ),
            path(
                "zip/",
                exports.ZipExportView.as_view(index_url_name=self.get_url_name("index")),
                name="zip",
            ),
        ]

    @property
    def url_finder_class(self):
        return CertificateAdminURLFinder

    def get_permissions_to_register(self):
        """Only the permissions that mean something here, in the group editor."""
        content_type = ContentType.objects.get_for_model(Certificate)
        codenames = [
            get_permission_codename("view", Certificate._meta),
            "revoke_certificate",
            "export_certificate",
        ]
        return Permission.objects.filter(content_type=content_type, codename__in=codenames)


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "form"
    menu_label = _("Modèles de certificat")
    list_display = ["publisher", "issuer_name", "signatory_name"]
    search_fields = ["issuer_name", "signatory_name"]
    search_backend_name = None  # not indexed: plain database search
    # Shown inside the « Certificats » menu, not under « Fragments ».
    menu_item_is_registered = True

    def get_edit_handler(self):
        """The model's panels, with the form that keeps the signature private."""
        panels = ObjectList(
            self.model.panels, base_form_class=template_admin.CertificateTemplateForm
        )
        return panels.bind_to_model(self.model)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                f"signature/<{self.pk_path_converter}:pk>/",
                template_admin.SignaturePreviewView.as_view(),
                name=template_admin.PREVIEW_URL_NAME,
            ),
        ]


class CertificatesMenu(ModelViewSetGroup):
    menu_label = _("Certificats")
    menu_icon = "doc-full"
    menu_order = 260
    items = (CertificateViewSet, CertificateTemplateViewSet)


@hooks.register("register_admin_viewset")
def register_certificates_admin():
    return CertificatesMenu()
