from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Audience


class GuideFilterForm(forms.Form):
    """The index's GET form: search words, one audience, one topic."""

    q = forms.CharField(label=_("Rechercher dans les guides"), required=False, max_length=200)
    public = forms.ModelChoiceField(
        label=_("Public"),
        queryset=Audience.objects.all(),
        to_field_name="code",
        required=False,
        empty_label=_("Tous les publics"),
    )
    theme = forms.ChoiceField(label=_("Thème"), required=False)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Tous les thèmes"))] + [
            (tag.slug, tag.name) for tag in topics
        ]
