"""Account e-mails leave through a task queue.

Sending in the request would make "known address" responses measurably slower
than "unknown address" ones (an enumeration side channel) and would tie page
loads to the SMTP server. The message is rendered in the request (it needs the
request for absolute URLs) and only its plain parts are queued.
"""

from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task()
def send_account_email(subject, body, from_email, to, html_body=None):
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html_body:
        message.attach_alternative(html_body, "text/html")
    message.send()
