"""The signed-in person, read from the shared cache instead of the database.

Every signed-in request loads its user (Django's `AuthenticationMiddleware`): one
query, about a tenth of a lesson page's time. People change their account rarely, so
the row is kept in the shared cache and dropped whenever it changes:

- `post_save` / `post_delete` of the user drop it at once and again when the
  transaction commits: a request that read the old row between the two cannot keep
  it past the commit;
- the few bulk updates of a user row (`QuerySet.update`, which sends no signal) call
  `forget` themselves (accounts/inactivity.py, accounts/reminders.py);
- entries also expire after `TIMEOUT`, the bound on anything missed, and carry the
  project's release and the model's field names, so a deployment that changes the
  model never unpickles an old row into a new class.

What is cached is the row's values, never the instance with its related caches: the
roles (`user.groups`) and permissions are still read from the database where a page
asks for them, so changing them needs nothing here.
The entry holds what the `users` table holds (including the password *hash*, which
the session check needs); it lives in the same Redis as the sessions themselves.
"""

import logging

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction

from core.content_cache import release

logger = logging.getLogger("reperes.accounts")

# Seconds an entry lives at most (see the module's docstring).
TIMEOUT = 300


def _key(user_id):
    return f"reperes:user:{release()}:{user_id}"


def _field_names(model):
    return tuple(field.attname for field in model._meta.concrete_fields)


def load(user_id):
    """The user `user_id` (cache first, then the database), or None."""
    model = get_user_model()
    names = _field_names(model)
    key = _key(user_id)
    entry = cache.get(key)
    if entry is not None and entry[0] == names:
        return model.from_db("default", names, entry[1])
    try:
        user = model._default_manager.get(pk=user_id)
    except (model.DoesNotExist, ValueError, TypeError):
        return None
    cache.set(key, (names, tuple(getattr(user, name) for name in names)), TIMEOUT)
    return user


def forget(user_id):
    """Drop the cached row now and again after the current transaction commits."""
    key = _key(user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def user_changed(sender, instance, **kwargs):
    """`post_save` / `post_delete` of a user."""
    forget(instance.pk)
