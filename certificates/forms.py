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


class DocumentVerifyForm(forms.Form):
    """A certificate's PDF to check (read in memory, never stored: verifier/uploads.py)."""

    document = forms.FileField(
        label=_("Fichier PDF du certificat"),
        help_text=_("Le fichier tel qu’il a été reçu, 5 Mo au plus. Il n’est pas conservé."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={
            "required": _("Choisissez le fichier PDF du certificat à vérifier."),
            "empty": _("Ce fichier est vide : choisissez le PDF du certificat."),
        },
    )

    def clean_document(self):
        from certificates.verdicts import PDF_MAX_BYTES

        document = self.cleaned_data["document"]
        if document.size > PDF_MAX_BYTES:
            raise forms.ValidationError(
                _("Ce fichier dépasse 5 Mo : un certificat de Repères en pèse bien moins."),
                code="too_large",
            )
        return document


class BadgeVerifyForm(forms.Form):
    """An Open Badge credential to check: its file, or its text pasted."""

    badge_file = forms.FileField(
        label=_("Fichier du badge"),
        required=False,
        help_text=_("Le fichier .json (ou .jwt) téléchargé depuis « Mes certificats »."),
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jwt,application/json"}),
    )
    badge_text = forms.CharField(
        label=_("Ou le contenu du badge, collé ici"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
    )

    def clean(self):
        from certificates.verdicts import BADGE_MAX_BYTES

        cleaned = super().clean()
        upload = cleaned.get("badge_file")
        text = (cleaned.get("badge_text") or "").strip()
        if upload and text:
            raise forms.ValidationError(
                _("Choisissez un fichier ou collez le badge, pas les deux."), code="both"
            )
        if upload:
            if upload.size > BADGE_MAX_BYTES:
                raise forms.ValidationError(
                    _("Ce fichier est trop volumineux pour être un badge (256 Ko au plus)."),
                    code="too_large",
                )
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                raise forms.ValidationError(
                    _("Ce fichier n’est pas un badge : ce n’est pas du texte."), code="not_text"
                ) from None
        if not text:
            raise forms.ValidationError(
                _("Choisissez le fichier du badge ou collez son contenu."), code="required"
            )
        if len(text.encode("utf-8")) > BADGE_MAX_BYTES:
            raise forms.ValidationError(
                _("Ce texte est trop long pour être un badge (256 Ko au plus)."),
                code="too_large",
            )
        cleaned["credential_text"] = text
        return cleaned
