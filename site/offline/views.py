"""The installable web app: its manifest, its service worker, the offline page and the
content version the pages compare themselves with (docs/architecture.md « Hors ligne »).

None of these views reads the session, the user or the database: they answer the same
bytes to everyone, as fast as a static file.
"""

import functools
import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.content_cache import CONTENT, release

SERVICE_WORKER = Path(__file__).resolve().parent / "serviceworker.js"
# Where the view writes the worker's settings into its source (see serviceworker.js).
CONFIG_MARKER = "/* OFFLINE_CONFIG */ {}"

# Folders of static/ the pages use (the worker keeps what they load from there).
OWN_STATIC_FOLDERS = ("css", "js", "fonts", "img")

# The site's colours (static/css/site.css): primary blue, white.
THEME_COLOR = "#1c4f82"
BACKGROUND_COLOR = "#ffffff"


@require_GET
def manifest(request):
    """The web app manifest (https://www.w3.org/TR/appmanifest/).

    French only, like the content it opens: browsers fetch it without cookies, so it
    could not follow the interface language anyway (`lang` says it).
    """
    body = {
        "name": "Repères",
        "short_name": "Repères",
        "description": (
            "Guides, parcours « Que faire ? » et annuaire pour les professionnel·le·s "
            "face à la prostitution des mineur·e·s."
        ),
        "lang": "fr",
        "dir": "ltr",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": [
            _icon("img/icons/icon-192.png", 192, "any"),
            _icon("img/icons/icon-512.png", 512, "any"),
            _icon("img/icons/maskable-512.png", 512, "maskable"),
        ],
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), content_type="application/manifest+json"
    )
    patch_cache_control(response, public=True, max_age=24 * 3600)
    return response


def _icon(name, size, purpose):
    return {
        "src": staticfiles_storage.url(name),
        "sizes": f"{size}x{size}",
        "type": "image/png",
        "purpose": purpose,
    }


@require_GET
def service_worker(request):
    """The service worker, served from the root so that its scope is the whole site.

    `no-cache`: the browser asks again on each navigation and installs the new worker
    as soon as a deployment changes it (its version is in its bytes).
    """
    source, _version = service_worker_source()
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@functools.cache
def service_worker_source():
    """(source, version) of the worker for this release, worked out once per process."""
    template = SERVICE_WORKER.read_text(encoding="utf-8")
    config = worker_config()
    hashed = hashlib.blake2b(digest_size=8)
    for part in (release(), template, json.dumps(config, sort_keys=True)):
        hashed.update(part.encode())
    version = hashed.hexdigest()
    config["version"] = version
    return template.replace(CONFIG_MARKER, json.dumps(config, ensure_ascii=False), 1), version


def worker_config():
    """What the worker needs to know about the site: which paths it may keep, which it
    never touches, the offline page and what that page needs to be drawn."""
    return {
        "offlinePrefixes": list(settings.OFFLINE_PREFIXES),
        "neverPrefixes": list(settings.OFFLINE_NEVER_PREFIXES),
        "staticPrefix": settings.STATIC_URL,
        # The pages' own static files (static/), kept as they are used; not the admin's.
        "staticFolders": [f"{settings.STATIC_URL}{folder}/" for folder in OWN_STATIC_FOLDERS],
        "fallbackUrl": reverse("offline:fallback"),
        "versionUrl": reverse("offline:version"),
        "precache": [staticfiles_storage.url(name) for name in settings.OFFLINE_PRECACHE_STATIC],
        "maxPages": settings.OFFLINE_MAX_PAGES,
        "networkTimeoutMs": settings.OFFLINE_NETWORK_TIMEOUT_MS,
    }


@require_GET
def content_version(request):
    """{"version": …}: the content generation the pages are built under.

    Pages carry theirs (`<meta name="reperes-content-version">`); a page read from the
    device's cache compares it with this one when the network comes back, and offers
    the newer version after a publish. One read of the shared cache, no session, no
    query; cacheable for a few seconds.
    """
    version = CONTENT.token()
    response = JsonResponse({"version": version})
    response["ETag"] = f'"{version}"'
    patch_cache_control(response, public=True, max_age=settings.OFFLINE_VERSION_MAX_AGE)
    return response


@require_GET
def offline_page(request):
    """The page the service worker shows for a page it has not kept (precached on
    install, without cookies: the anonymous version). Also in the page cache."""
    return render(request, "offline/offline.html", {"breadcrumbs": [(_("Hors ligne"), "")]})
