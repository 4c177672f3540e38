"""« Mes données » and account deletion: what Repères holds about a person.

`registry`: what each app declares it holds and how to export and erase it;
`export`: the « Mes données » data; `erasure`: deleting an account; `emails`,
`log_actions`, `views`: the rest of the privacy policy.
"""
