from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificats")

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_delete

        from courses.modules.signals import module_completed

        from . import log_actions, privacy, receivers  # noqa: F401  (log actions register on import)
        from .checks import check_signing_key
        from .models import CertificateTemplate

        checks.register(check_signing_key, checks.Tags.security, deploy=True)

        # What certificates hold about a person, for « Mes données » and deletion.
        privacy.register()

        module_completed.connect(
            receivers.issue_on_completion, dispatch_uid="certificates.issue_on_completion"
        )
        post_delete.connect(
            receivers.forget_template_signature,
            sender=CertificateTemplate,
            dispatch_uid="certificates.forget_template_signature",
        )
