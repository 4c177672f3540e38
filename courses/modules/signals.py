"""Signals other apps listen to.

`module_completed(sender=ModuleCompletion, completion=...)` is sent once per learner
and module, when the completion row is created (inside the transaction). The
certificates issue hooks on it.
"""

from django.dispatch import Signal

module_completed = Signal()
