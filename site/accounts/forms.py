"""Signup and profile forms: the same cleaned profile fields in both places.

Names and organisations end up on attendance sheets and certificates: they follow
the name rule of `accounts.names` (NFC, one line, no invisible or bidi control
character, no stack of accents), refused with a message rather than silently fixed.

Sector and workplace (optional) are fixed lists, so that the plan's figures can count
them: a select of the communes of Seine-Saint-Denis plus « Hors Seine-Saint-Denis »,
and a département number used only with the latter. Both work without JavaScript;
a value that is not in the lists is refused with a message, never stored.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import communes
from .models import User
from .names import NameFormField
from .professions import Profession
from .sectors import Sector


def max_length(field_name):
    return User._meta.get_field(field_name).max_length


def text_input(autocomplete):
    return forms.TextInput(attrs={"autocomplete": autocomplete})


PROFESSION_CHOICES = [("", _("Choisissez votre profession")), *Profession.choices]
SECTOR_CHOICES = [("", _("Choisissez votre secteur")), *Sector.choices]
WORKPLACE_CHOICES = [
    ("", _("Choisissez votre commune")),
    *communes.COMMUNE_CHOICES,
    (communes.OUTSIDE, communes.OUTSIDE_LABEL),
]
#: The model fields the workplace fields fill (see WorkplaceFields.clean).
WORKPLACE_MODEL_FIELDS = ("workplace_commune", "workplace_departement")


class WorkplaceFields(forms.Form):
    """Sector, workplace commune and « hors département » number: all optional.

    `clean()` turns the two workplace inputs into the stored pair
    (`workplace_commune`, `workplace_departement`): a commune goes with "93", « hors »
    with the number given, nothing with two blanks.
    """

    sector = forms.ChoiceField(
        label=_("Secteur (facultatif)"),
        choices=SECTOR_CHOICES,
        required=False,
        help_text=_("L'institution pour laquelle vous travaillez."),
        error_messages={"invalid_choice": _("Choisissez un secteur de la liste.")},
    )
    workplace = forms.ChoiceField(
        label=_("Commune d'exercice (facultatif)"),
        choices=WORKPLACE_CHOICES,
        required=False,
        help_text=_(
            "La commune de Seine-Saint-Denis où vous travaillez. Si vous travaillez "
            "ailleurs, choisissez « Hors Seine-Saint-Denis » et indiquez le numéro du "
            "département ci-dessous."
        ),
        error_messages={"invalid_choice": _("Choisissez une commune de la liste.")},
    )
    # No max_length here: an overlong value gets the same clear message as a wrong one.
    workplace_departement_number = forms.CharField(
        label=_("Numéro du département (seulement hors Seine-Saint-Denis)"),
        required=False,
        help_text=_("Par exemple 75, 2A ou 971."),
        widget=forms.TextInput(attrs={"maxlength": "3", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is not None and instance.pk and not self.is_bound:
            self.initial.update(workplace_initial(instance))

    def clean(self):
        cleaned_data = super().clean()
        choice = cleaned_data.get("workplace", "")
        if "workplace" in self.errors:
            return cleaned_data
        number = (cleaned_data.get("workplace_departement_number") or "").strip()
        commune, departement = "", ""
        # A number typed without choosing « hors » means « hors » all the same.
        if choice == communes.OUTSIDE or (not choice and number):
            departement = self._outside_departement(number)
        elif choice:
            commune, departement = choice, communes.DEPARTEMENT
        cleaned_data["workplace_commune"] = commune
        cleaned_data["workplace_departement"] = departement
        return cleaned_data

    def _outside_departement(self, number):
        field = "workplace_departement_number"
        if not number:
            self.add_error(
                field,
                forms.ValidationError(
                    _(
                        "Indiquez le numéro du département où vous travaillez, ou "
                        "choisissez votre commune dans la liste."
                    ),
                    code="departement_missing",
                ),
            )
            return ""
        departement = communes.normalise_departement(number)
        if departement is None:
            self.add_error(
                field,
                forms.ValidationError(
                    _(
                        "Ce n'est pas un numéro de département français : indiquez par "
                        "exemple 75, 2A ou 971."
                    ),
                    code="unknown_departement",
                ),
            )
            return ""
        if departement == communes.DEPARTEMENT:
            self.add_error(
                field,
                forms.ValidationError(
                    _(
                        "Le 93 est la Seine-Saint-Denis : choisissez plutôt votre commune "
                        "dans la liste."
                    ),
                    code="departement_93",
                ),
            )
            return ""
        return departement


def workplace_initial(user):
    """The workplace inputs showing what `user` has stored."""
    if user.workplace_commune:
        return {"workplace": user.workplace_commune, "workplace_departement_number": ""}
    if user.workplace_departement:
        return {
            "workplace": communes.OUTSIDE,
            "workplace_departement_number": user.workplace_departement,
        }
    return {"workplace": "", "workplace_departement_number": ""}


class ProfileFields(WorkplaceFields):
    """The profile fields shared by signup and the profile page."""

    # The inherited workplace fields come last, after the person's name and trade.
    field_order = [
        "first_name",
        "last_name",
        "profession",
        "organisation",
        "sector",
        "workplace",
        "workplace_departement_number",
    ]

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
        "sector",
        "workplace",
        "workplace_departement_number",
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
            "sector",
            "learning_reminders",
        ]

    def _post_clean(self):
        # The workplace pair is not a model field of this form: put it on the instance
        # so that the model's own validation (User.clean) sees the whole profile.
        for name in WORKPLACE_MODEL_FIELDS:
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()

    def profile_data(self):
        """The cleaned values of the profile, for `services.update_profile`."""
        return profile_data(self.cleaned_data, [*self._meta.fields, *WORKPLACE_MODEL_FIELDS])


class ProfilePromptForm(WorkplaceFields):
    """The once-only box of « Mon espace »: sector and workplace only."""

    def profile_data(self):
        return profile_data(self.cleaned_data, ["sector", *WORKPLACE_MODEL_FIELDS])


def profile_data(cleaned_data, names):
    return {name: cleaned_data[name] for name in names if name in cleaned_data}


def profile_prompt_form(user):
    """The form of the « Mon espace » box when it is due for `user`, else None (no query)."""
    if not user.is_authenticated or not user.profile_prompt_due:
        return None
    return ProfilePromptForm(initial={"sector": user.sector, **workplace_initial(user)})
