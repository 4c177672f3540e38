"""Admin integration of guides: the « Guides à revoir » report in the Reports menu, the
directory's contacts as snippets, and the « Que faire ? » path kept whole (a page that
live answers lead to is neither unpublished nor deleted)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
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


def followed_by(page):
    """(page id, title) of what unpublishing or deleting `page` would break: the live
    questions of the « Que faire ? » path whose answers lead to it, and the live path
    that starts with it."""
    from .models import OrientationAnswer, OrientationPage

    found = [
        (answer.page_id, answer.page.title)
        for answer in OrientationAnswer.objects.filter(target_id=page.pk, page__live=True)
        .select_related("page")
        .order_by("page__title")
    ]
    start = OrientationPage.objects.filter(start_step_id=page.pk, live=True).first()
    if start is not None:
        found.insert(0, (start.pk, str(_("première question du parcours"))))
    return found


def is_path_node(page):
    from .models import OrientationOutcomePage, OrientationStepPage

    return isinstance(page, (OrientationStepPage, OrientationOutcomePage))


def refuse_if_followed(request, page, message, going=()):
    """A redirect with `message` if live answers lead to `page` (those of the pages
    `going` away with it excepted), else None."""
    if not is_path_node(page):
        return None
    titles = [title for page_id, title in followed_by(page) if page_id not in going]
    if not titles:
        return None
    messages.error(request, message % {"steps": ", ".join(dict.fromkeys(titles))})
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_unpublish_page")
def refuse_unpublishing_a_followed_node(request, page):
    return refuse_if_followed(
        request,
        page,
        _(
            "Dépublication refusée : des réponses publiées y mènent (%(steps)s). "
            "Modifiez d'abord ces questions."
        ),
    )


@hooks.register("before_delete_page")
def refuse_deleting_a_followed_node(request, page):
    return refuse_if_followed(
        request,
        page,
        _(
            "Suppression refusée : des réponses publiées y mènent (%(steps)s). "
            "Modifiez d'abord ces questions."
        ),
    )


@hooks.register("before_bulk_action")
def refuse_bulk_breaking_the_path(request, action_type, objects, action_class_instance):
    """The same rule for the explorer's bulk « Dépublier » and « Supprimer »."""
    if action_type not in ("unpublish", "delete"):
        return None
    going = {page.pk for page in objects}
    message = (
        _(
            "Dépublication refusée : des réponses publiées y mènent (%(steps)s). "
            "Modifiez d'abord ces questions."
        )
        if action_type == "unpublish"
        else _(
            "Suppression refusée : des réponses publiées y mènent (%(steps)s). "
            "Modifiez d'abord ces questions."
        )
    )
    for page in objects:
        page = getattr(page, "specific", page)
        refused = refuse_if_followed(request, page, message, going)
        if refused is not None:
            return refused
    return None
