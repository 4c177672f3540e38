"""Certificates issued from other apps' events."""

from certificates import signatory
from certificates.services import issue_certificate


def issue_on_completion(sender, completion, **kwargs):
    """A completed module gets its attestation in the same transaction.

    The row (number, code, snapshot) is created with the completion, so that no
    completion is ever left without its certificate; the PDF is rendered by a task
    once the transaction commits. The completion was created in this transaction
    (`just_completed`): no second read of it, no savepoint of its own.
    """
    issue_certificate(completion, just_completed=True)


def forget_template_signature(sender, instance, **kwargs):
    """A deleted template (or its publisher) leaves no signature behind in storage."""
    signatory.delete_after_commit(instance.signature_file.name)
