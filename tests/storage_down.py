"""An object store that does not answer: django-storages' real S3 backend, closed port.

Not a mock: every read goes through django-storages and botocore to a local port
nothing listens on, and fails as it does when the store is down in production
(`EndpointConnectionError`, at once: one attempt, a one-second connect timeout).
"""

import socket

from botocore.config import Config
from storages.backends.s3 import S3Storage


def closed_port():
    """A local port that was free a moment ago: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable_s3_storage():
    """A private S3 storage as config/settings.py builds it, pointed at a closed port."""
    return S3Storage(
        bucket_name="reperes-prive",
        location="private",
        endpoint_url=f"http://127.0.0.1:{closed_port()}",
        region_name="us-east-1",
        access_key="test",  # explicit: botocore must not go looking for credentials
        secret_key="test-secret",
        default_acl=None,
        querystring_auth=True,
        client_config=Config(connect_timeout=1, read_timeout=1, retries={"total_max_attempts": 1}),
    )


def store_down(monkeypatch, model, field_name):
    """From now on, `model.<field_name>` files are read from the unreachable store.

    A file field keeps the storage it was built with (FileField calls a storage
    callable once): the field's storage is replaced, not the STORAGES setting.
    """
    storage = unreachable_s3_storage()
    monkeypatch.setattr(model._meta.get_field(field_name), "storage", storage)
    return storage
