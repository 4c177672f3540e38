"""E-mails of the privacy policy: « compte supprimé » and « compte inactif ».

Rendered when the service runs (in French, from
`templates/accounts/privacy/emails/<kind>{_subject.txt,.txt,.html}`) and handed to the
account e-mail task once the transaction commits: a rolled-back deletion sends
nothing, and a failing mail server fails the task, never the deletion. The deletion
message is rendered before the account is erased: afterwards nothing is left to read.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.tasks import send_account_email
from core.links import absolute_url

TEMPLATE_DIR = "accounts/privacy/emails"


def privacy_page_url():
    """The « Données personnelles » page chosen in the site settings, or ""."""
    from wagtail.models import Site

    from core.models import SiteSettings

    site = Site.objects.filter(is_default_site=True).first()
    page = SiteSettings.for_site(site).live_page("privacy_page") if site else None
    return absolute_url(page.relative_url(site)) if page is not None else ""


def render_message(kind, context):
    """(subject, text, html) of the `kind` message, in French."""
    with translation.override("fr"):
        subject = render_to_string(f"{TEMPLATE_DIR}/{kind}_subject.txt", context)
        # A header holds on one line.
        subject = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "") + " ".join(subject.split())
        context = {**context, "subject": subject}
        text = render_to_string(f"{TEMPLATE_DIR}/{kind}.txt", context)
        html = render_to_string(f"{TEMPLATE_DIR}/{kind}.html", context)
    return subject, text, html


def queue(kind, address, context):
    subject, text, html = render_message(kind, context)

    def enqueue():
        send_account_email.enqueue(
            subject=subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            html_body=html,
        )

    # robust: a queue that cannot take the task is logged, never an error for the service.
    transaction.on_commit(enqueue, robust=True)


def queue_account_deleted(user, reason, *, certificates=0):
    """Confirm the deletion to the account's address (call before erasing the account)."""
    queue(
        "account_deleted",
        user.email,
        {
            "first_name": user.first_name.strip(),
            "reason": reason,
            "retention_years": settings.CERTIFICATE_RETENTION_YEARS,
            "certificates": certificates,
            "verify_url": absolute_url(reverse("certificates:verify_form")),
            "privacy_url": privacy_page_url(),
        },
    )


def queue_inactivity_warning(user, deletion_on):
    """Tell an inactive account it will be deleted from `deletion_on` unless they log in."""
    queue(
        "inactivity_warning",
        user.email,
        {
            "first_name": user.first_name.strip(),
            "deletion_on": deletion_on,
            "login_url": absolute_url(reverse("account_login")),
            "my_data_url": absolute_url(reverse("account_my_data")),
            "privacy_url": privacy_page_url(),
        },
    )
