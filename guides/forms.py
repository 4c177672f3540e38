from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.professions import Profession
from core.tags import ascii_slug


class AudienceTopicFilterForm(forms.Form):
    """A listing's GET filter: one audience, one topic (guides and modules share it)."""

    # The audience vocabulary is fixed (accounts.Profession): no query for the choices.
    public = forms.ChoiceField(
        label=_("Public"),
        choices=[("", _("Tous les publics")), *Profession.choices],
        required=False,
    )
    theme = forms.ChoiceField(label=_("Thème"), required=False)

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Slugs are ASCII (core/tags.py): a link from before, `?theme=repérage`,
        # still finds `reperage`.
        theme = self.data.get("theme") if self.is_bound else None
        if theme and not theme.isascii():
            self.data = self.data.copy()
            self.data["theme"] = ascii_slug(theme)
        self.fields["theme"].choices = [("", _("Tous les thèmes"))] + [
            (tag.slug, tag.name) for tag in topics
        ]


class GuideFilterForm(AudienceTopicFilterForm):
    """The guide index's GET form: search words, one audience, one topic."""

    q = forms.CharField(label=_("Rechercher dans les guides"), required=False, max_length=200)

    field_order = ["q", "public", "theme"]
