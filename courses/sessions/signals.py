"""Signals of the in-person wing that other apps listen to.

`session_finished(sender=TrainingSession, session=..., now=...)` is sent by
`courses.sessions.certificates.finish_session` after the session is closed and its
certificates issued, at every call (closing is idempotent: a re-run after an
attendance correction sends it again). The surveys app invites the attendees.
"""

from django.dispatch import Signal

session_finished = Signal()
