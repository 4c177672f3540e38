"""allauth's security-key forms with French labels (allauth leaves the name unlabelled)."""

from allauth.mfa.webauthn.forms import AddWebAuthnForm as AllauthAddWebAuthnForm
from allauth.mfa.webauthn.forms import EditWebAuthnForm as AllauthEditWebAuthnForm
from django.utils.translation import gettext_lazy as _

KEY_NAME = _("Nom de la clé")
KEY_NAME_HELP = _("Pour la reconnaître dans la liste, par exemple « Clé USB du bureau ».")


class AddWebAuthnForm(AllauthAddWebAuthnForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME
        self.fields["name"].help_text = KEY_NAME_HELP


class EditWebAuthnForm(AllauthEditWebAuthnForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = KEY_NAME
