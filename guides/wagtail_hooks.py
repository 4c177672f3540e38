"""Admin integration of guides: the « Guides à revoir » report in the Reports menu, the
directory's contacts as snippets."""

from django import forms
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from accounts.communes import COMMUNE_CHOICES

from .models import Contact
from .reports import GuidesToReviewView


@hooks.register("register_admin_urls")
def register_guides_report_urls():
    return [
        path(
            "rapports/guides-a-revoir/",
            GuidesToReviewView.as_view(),
            name="guides_to_review",
        ),
        path(
            "rapports/guides-a-revoir/resultats/",
            GuidesToReviewView.as_view(results_only=True),
            name="guides_to_review_results",
        ),
    ]


@hooks.register("register_reports_menu_item")
def register_guides_report_menu_item():
    return MenuItem(
        _("Guides à revoir"),
        reverse("guides_to_review"),
        name="guides-to-review",
        icon_name="time",
        order=50,
    )


class ContactViewSet(SnippetViewSet):
    """The directory's contacts, edited by the guides' editors (Fragments › Contacts)."""

    model = Contact
    icon = "mail"
    menu_label = _("Contacts")
    list_display = ["name", "phone", "is_emergency"]
    list_filter = ["is_emergency", "needs"]
    search_fields = ["name", "description", "for_whom"]
    search_backend_name = None  # a few dozen rows: plain database search
    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("for_whom"),
        FieldPanel("needs", widget=forms.CheckboxSelectMultiple),
        FieldPanel("is_emergency"),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("email"), FieldPanel("website")],
            heading=_("Joindre"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                # A list, not a code to type; the model still refuses an unknown code.
                FieldPanel(
                    "commune",
                    widget=forms.Select(
                        choices=[
                            ("", _("Aucune (numéro national ou départemental)")),
                            *COMMUNE_CHOICES,
                        ]
                    ),
                ),
            ],
            heading=_("Adresse"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("always_open"),
                InlinePanel("hours", label=_("Horaire")),
                FieldPanel("hours_note"),
            ],
            heading=_("Horaires"),
        ),
    ]


register_snippet(ContactViewSet)
