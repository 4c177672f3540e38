"""Signup and profile forms: the same cleaned profile fields in both places.

Names and organisations end up on attendance sheets and certificates: they follow
the name rule of `accounts.names` (NFC, one line, no invisible or bidi control
character, no stack of accents), refused with a message rather than silently fixed.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import User
from .names import NameFormField
from .professions import Profession


def max_length(field_name):
    return User._meta.get_field(field_name).max_length


def text_input(autocomplete):
    return forms.TextInput(attrs={"autocomplete": autocomplete})


PROFESSION_CHOICES = [("", _("Choisissez votre profession")), *Profession.choices]


class ProfileFields(forms.Form):
    """The profile fields shared by signup and the profile page."""

    first_name = NameFormField(
        label=_("Prénom"), max_length=max_length("first_name"), widget=text_input("given-name")
    )
    last_name = NameFormField(
        label=_("Nom"), max_length=max_length("last_name"), widget=text_input("family-name")
    )
    profession = forms.ChoiceField(
        label=_("Profession"),
        choices=PROFESSION_CHOICES,
        widget=forms.Select(attrs={"autocomplete": "organization-title"}),
        help_text=_("Si votre métier n'est pas dans la liste, choisissez « Autre »."),
    )
    organisation = NameFormField(
        label=_("Organisation"),
        max_length=max_length("organisation"),
        widget=text_input("organization"),
        help_text=_("Établissement, service ou structure employeuse."),
    )
    commune = NameFormField(
        label=_("Commune d'exercice (facultatif)"),
        max_length=max_length("commune"),
        required=False,
        widget=text_input("address-level2"),
    )


class SignupProfileForm(ProfileFields):
    """Extra signup fields; allauth builds its signup form on top of this class.

    The values are stored by `AccountAdapter.save_user`, inside the same save as
    the account itself, so `signup()` (required by allauth) has nothing left to do.
    """

    field_order = [
        "email",
        "first_name",
        "last_name",
        "profession",
        "organisation",
        "commune",
        "password1",
        "password2",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # allauth declares `email` on its own base class and relabels it afterwards.
        if "email" in self.fields:
            self.fields["email"].help_text = _("Elle vous servira d'identifiant de connexion.")

    def signup(self, request, user):
        """Nothing to do: see `AccountAdapter.save_user`."""


class ProfileForm(ProfileFields, forms.ModelForm):
    """The profile page. E-mail and password have their own allauth pages."""

    # Not at signup: on by default, turned off here or by the e-mail's own link.
    learning_reminders = forms.BooleanField(
        label=_("Recevoir un rappel quand je n'ai pas terminé un module"),
        required=False,
        help_text=_("Un seul e-mail par module, après trois semaines sans activité."),
    )

    class Meta:
        model = User
        fields = [
            "first_name",
            "last_name",
            "profession",
            "organisation",
            "commune",
            "learning_reminders",
        ]
