"""allauth hooks: profile fields and default role at signup, queued e-mails."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction

from . import services
from .tasks import send_account_email


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """Store the profile fields with the account, and give it its default role."""
        user = super().save_user(request, user, form, commit=False)
        data = form.cleaned_data
        user.profession = data.get("profession", "")
        user.organisation = data.get("organisation", "")
        user.commune = data.get("commune", "")
        if commit:
            with transaction.atomic():
                user.save()
                services.assign_default_role(user)
        return user

    def send_mail(self, template_prefix, email, context):
        """Render like allauth does, but hand the sending to the task queue."""
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {
                "request": request,
                "email": email,
                "current_site": get_current_site(request),
                **context,
            },
        )
        alternatives = getattr(message, "alternatives", [])
        html_bodies = [body for body, mimetype in alternatives if mimetype == "text/html"]
        send_account_email.enqueue(
            subject=message.subject,
            body=message.body,
            from_email=message.from_email,
            to=list(message.to),
            html_body=html_bodies[0] if html_bodies else None,
        )
