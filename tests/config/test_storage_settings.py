"""Storage settings: local folders by default, S3-compatible buckets when configured."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setting_with(expression, **env_overrides):
    """`settings.<expression>` (JSON) as config/settings.py builds it from this environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "S3_", "CSP_"))}
    env.update(DEBUG="0", SECRET_KEY="x" * 60, **env_overrides)
    code = (
        "import json, sys; sys.path.insert(0, 'site'); "
        f"from config import settings; print(json.dumps(settings.{expression}, default=vars))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(result.stdout)


def storages_with(**env_overrides):
    return setting_with("STORAGES", **env_overrides)


def test_without_s3_files_are_local_and_certificates_outside_media(tmp_path):
    storages = storages_with(PRIVATE_MEDIA_ROOT=str(tmp_path / "private"))
    assert storages["default"]["BACKEND"].endswith("FileSystemStorage")
    assert storages["certificates"]["OPTIONS"]["location"] == str(tmp_path / "private")


def test_with_s3_media_and_private_files_go_to_their_buckets():
    storages = storages_with(
        S3_BUCKET="reperes-media",
        S3_PRIVATE_BUCKET="reperes-prive",
        S3_ENDPOINT_URL="https://s3.example.fr",
        S3_ACCESS_KEY_ID="id",
        S3_SECRET_ACCESS_KEY="secret",
    )
    media, private = storages["default"], storages["certificates"]
    assert media["BACKEND"] == private["BACKEND"] == "storages.backends.s3.S3Storage"
    assert media["OPTIONS"]["bucket_name"] == "reperes-media"
    assert media["OPTIONS"]["location"] == "media"
    assert media["OPTIONS"]["querystring_auth"] is False  # cached pages hold image URLs
    assert private["OPTIONS"]["bucket_name"] == "reperes-prive"
    assert private["OPTIONS"]["location"] == "private"
    # Private files: signed, short-lived URLs only, never a public domain or ACL.
    assert private["OPTIONS"]["querystring_auth"] is True
    assert private["OPTIONS"]["custom_domain"] is None
    assert private["OPTIONS"]["default_acl"] is None
    assert private["OPTIONS"]["file_overwrite"] is False


def test_a_store_that_does_not_answer_fails_fast():
    """Connect and read timeouts, two attempts: the 503 page comes before gunicorn's 30 s."""
    for options in (
        storages_with(S3_BUCKET="reperes")[name]["OPTIONS"] for name in ("default", "certificates")
    ):
        config = options["client_config"]
        assert config["connect_timeout"] == 3 and config["read_timeout"] == 10
        assert config["retries"] == {"mode": "standard", "total_max_attempts": 2}
    config = storages_with(S3_BUCKET="reperes", S3_CONNECT_TIMEOUT="1")["default"]["OPTIONS"]
    assert config["client_config"]["connect_timeout"] == 1


def test_with_one_bucket_private_files_use_their_own_prefix():
    storages = storages_with(S3_BUCKET="reperes")
    assert storages["certificates"]["OPTIONS"]["bucket_name"] == "reperes"
    assert storages["certificates"]["OPTIONS"]["location"] == "private"
    assert storages["default"]["OPTIONS"]["location"] == "media"


def img_src_with(**env_overrides):
    return setting_with("CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']", **env_overrides)


def test_the_csp_allows_images_from_the_bucket_origin_only_when_s3_is_used():
    assert img_src_with() == ["'self'", "data:"]
    assert img_src_with(S3_BUCKET="m", S3_CUSTOM_DOMAIN="media.exemple.fr")[-1] == (
        "https://media.exemple.fr"
    )
    assert img_src_with(S3_BUCKET="m", S3_ENDPOINT_URL="https://s3.exemple.fr:9000/x")[-1] == (
        "https://s3.exemple.fr:9000"
    )
    assert img_src_with(S3_BUCKET="m") == ["'self'", "data:"]
