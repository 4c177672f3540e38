"""Who sees and edits which questionnaire in Wagtail (issue 14, « Qui voit quoi »).

The rule is `guides.publishers` (the dashboard's): Coordination and superusers see
and edit every questionnaire; an editor sees the questionnaires of the publishers
they belong to, which they edit, and the platform's (no publisher), which they read
and copy but do not change: those are the defaults of every publisher.

Another publisher's questionnaire does not exist for them (404, in every view that
takes an id); a platform questionnaire refuses the edit and delete views (and bulk
delete, through the permission policy), it is not only left out of the buttons.
"""

import django_filters
from django import forms
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets

from guides.models import Publisher
from guides.publishers import publishers_of, sees_every_publisher, works_for

from .models import Questionnaire

EDIT_ACTIONS = ("change", "delete")


def visible_questionnaires(user):
    if sees_every_publisher(user):
        return Questionnaire.objects.all()
    return Questionnaire.objects.filter(
        Q(publisher__isnull=True) | Q(publisher__in=publishers_of(user))
    )


def may_see(user, questionnaire):
    return questionnaire.publisher_id is None or works_for(user, questionnaire.publisher_id)


def may_edit(user, questionnaire):
    # works_for(user, None) is True for Coordination only: the platform's questionnaires.
    return works_for(user, questionnaire.publisher_id)


def may_add(user):
    """Coordination, or an editor who works for a publisher. Asked for every row of a
    listing (its « copy » button needs « add »): decided once per request, on the
    request's user object."""
    known = getattr(user, "_may_add_questionnaires", None)
    if known is None:
        known = sees_every_publisher(user) or publishers_of(user).exists()
        user._may_add_questionnaires = known
    return known


class QuestionnairePermissionPolicy(ModelPermissionPolicy):
    """The group permissions (migration 0002), narrowed per questionnaire."""

    def user_has_permission(self, user, action):
        if not super().user_has_permission(user, action):
            return False
        # An editor who works for no publisher could only make a questionnaire that the
        # form refuses (it needs one of their publishers): no « Ajouter » button.
        if action == "add":
            return may_add(user)
        return True

    def user_has_permission_for_instance(self, user, action, instance):
        if not self.user_has_permission(user, action):
            return False
        if action in EDIT_ACTIONS:
            return may_edit(user, instance)
        return may_see(user, instance)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(
            self.user_has_permission_for_instance(user, action, instance) for action in actions
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return Questionnaire.objects.none()
        if set(actions) - set(EDIT_ACTIONS) or sees_every_publisher(user):
            return visible_questionnaires(user)
        return Questionnaire.objects.filter(publisher__in=publishers_of(user))


class QuestionnaireAdminForm(WagtailAdminModelForm):
    """Only the publishers one works for; an editor's questionnaire has one of them."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        field = self.fields["publisher"]
        field.queryset = publishers_of(for_user)
        # Coordination may leave it empty (a platform questionnaire); an editor may
        # not, or they would make a questionnaire they can no longer edit.
        field.required = not sees_every_publisher(for_user)
        # A list of the few allowed publishers, not the snippet chooser: its modal
        # would offer every publisher, only for the form to refuse them.
        field.widget = forms.Select(choices=field.choices)


def filter_publishers(request):
    return publishers_of(request.user) if request else Publisher.objects.none()


class QuestionnaireFilterSet(WagtailFilterSet):
    """The listing's filters: the publisher filter names one's own publishers only."""

    publisher = django_filters.ModelChoiceFilter(queryset=filter_publishers)

    class Meta:
        model = Questionnaire
        fields = ["publisher", "kind", "is_default"]


class ScopedObjectMixin:
    """Views taking an id: another publisher's questionnaire is a 404."""

    #: Refuse (403) the questionnaires one may see but not change.
    edits = False

    def get_object(self, *args, **kwargs):
        user = self.request.user
        # Before Wagtail's own checks, some of which answer 403: a 404 tells nothing.
        pk = unquote(str(self.kwargs[self.pk_url_kwarg]))
        if not visible_questionnaires(user).filter(pk=pk).exists():
            raise Http404
        questionnaire = super().get_object(*args, **kwargs)
        if self.edits and not may_edit(user, questionnaire):
            raise PermissionDenied
        return questionnaire


class EditLinksMixin:
    """No « Modifier » / « Supprimer » link to a questionnaire one may not change.

    Wagtail checks the group permission only; the publishers are read once per
    request, not once per row of the listing.
    """

    @cached_property
    def editable_publisher_ids(self):
        """None: every questionnaire (Coordination); else the publishers' ids."""
        if sees_every_publisher(self.request.user):
            return None
        return set(publishers_of(self.request.user).values_list("pk", flat=True))

    def get_edit_url(self, *args):
        return self.url_if_editable(super().get_edit_url(*args), *args)

    def get_delete_url(self, *args):
        return self.url_if_editable(super().get_delete_url(*args), *args)

    def url_if_editable(self, url, *args):
        # The listing passes the row; the inspect view reads self.object.
        questionnaire = args[0] if args else self.object
        ids = self.editable_publisher_ids
        if url and (ids is None or questionnaire.publisher_id in ids):
            return url
        return None


class IndexView(EditLinksMixin, snippets.IndexView):
    pass


class EditView(ScopedObjectMixin, snippets.EditView):
    edits = True


class DeleteView(ScopedObjectMixin, snippets.DeleteView):
    edits = True


class CopyView(ScopedObjectMixin, snippets.CopyView):
    pass


class InspectView(EditLinksMixin, ScopedObjectMixin, snippets.InspectView):
    pass


class UsageView(ScopedObjectMixin, snippets.UsageView):
    pass


class HistoryView(ScopedObjectMixin, snippets.HistoryView):
    pass


# --- The chooser of a module's or a session's questionnaires ------------------------------------
# Wagtail's snippet chooser lists `Questionnaire.objects.all()`: an editor would see
# (and could pick) another publisher's questionnaires in the module editor. Each of its
# views reads the visible ones instead; another publisher's id is a 404.


class ScopedChooserMixin:
    def get_object_list(self):
        return visible_questionnaires(self.request.user)


class ChooseView(ScopedChooserMixin, snippet_chooser.ChooseView):
    pass


class ChooseResultsView(ScopedChooserMixin, snippet_chooser.ChooseResultsView):
    pass


class ChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return visible_questionnaires(self.request.user).get(pk=pk)


class ChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return visible_questionnaires(self.request.user).filter(pk__in=pks)


class QuestionnaireChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    chosen_view_class = ChosenView
    chosen_multiple_view_class = ChosenMultipleView
