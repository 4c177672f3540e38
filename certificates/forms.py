"""The public form to type a verification code."""

from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.codes import normalise_code


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Code de vérification"),
        max_length=64,
        help_text=_(
            "Le code de 12 caractères imprimé sur le certificat, sous le QR code, "
            "par exemple 7KQ2-MX9D-4HTV. Les tirets et les majuscules sont facultatifs."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "size": 20,
            }
        ),
        error_messages={
            "required": _("Saisissez le code de vérification imprimé sur le certificat."),
            "max_length": _(
                "Ce code est trop long : un code de vérification compte 12 caractères."
            ),
        },
    )

    def clean_code(self):
        """What the person typed (trimmed), once it has the shape of a code.

        Only the shape is judged here, so the form says nothing about whether a
        certificate exists: the verification page answers that, for every code alike.
        """
        typed = self.cleaned_data["code"].strip()
        if normalise_code(typed) is None:
            raise forms.ValidationError(
                _(
                    "Ce n’est pas un code de vérification : il compte 12 lettres et "
                    "chiffres, par exemple 7KQ2-MX9D-4HTV."
                ),
                code="malformed",
            )
        return typed
