"""Forms of the public and participant session pages: the list's filter, check-in, signature.

Only explicit fields; the services check everything that matters (codes, tokens,
images). A filter value that is not one of the choices is dropped, never an error
page: lists are linked from everywhere and old links must keep working.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.names import NameFormField
from accounts.professions import Profession
from courses.sessions.checkin import CODE_LENGTH
from courses.sessions.signatures import TYPED_NAME_MAX_LENGTH


class SessionFilterForm(forms.Form):
    """The list's GET form: one commune, one audience, one module (choices from the data)."""

    commune = forms.ChoiceField(label=_("Commune"), required=False)
    public = forms.ChoiceField(
        label=_("Public"),
        choices=[("", _("Tous les publics")), *Profession.choices],
        required=False,
    )
    module = forms.TypedChoiceField(label=_("Module"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, communes=(), modules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [("", _("Toutes les communes"))] + [
            (commune, commune) for commune in communes
        ]
        self.fields["module"].choices = [("", _("Tous les modules"))] + [
            (str(pk), title) for pk, title in modules
        ]

    def valid_filters(self):
        """{field: value} of the filters that are set and valid; invalid ones are ignored."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in self.errors and value not in ("", None)
        }

    def ignored_labels(self):
        return [str(self.fields[name].label) for name in self.errors]


class CheckInForm(forms.Form):
    """The short code typed from the trainer's screen (the QR code carries a token)."""

    code = forms.CharField(
        label=_("Code d'émargement"),
        help_text=_("Les %(length)s caractères affichés par la formatrice ou le formateur.")
        % {"length": CODE_LENGTH},
        max_length=200,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
    )


class SignatureForm(forms.Form):
    """A drawn signature (the canvas's PNG data URL) or the typed name, and the attestation."""

    # Size and format are checked by `signatures.decode_data_url` (clear, coded errors).
    signature = forms.CharField(required=False, widget=forms.HiddenInput, strip=False)
    typed_name = NameFormField(
        label=_("Ou saisissez votre nom et votre prénom"),
        help_text=_("Votre nom saisi vaut signature si vous ne pouvez pas signer dans le cadre."),
        required=False,
        max_length=TYPED_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    certified = forms.BooleanField(
        label=_("Je certifie avoir été présent·e à cette demi-journée"), required=False
    )
