from pathlib import Path

from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from config.health import healthz
from home import views as home_views

urlpatterns = [
    # Profile, and Wagtail's login/logout paths handed to allauth: before "admin/".
    path("", include("accounts.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("comptes/", include("allauth.urls")),
    path("langue/", home_views.choose_language, name="set_language"),
    path("recherche/", home_views.search, name="search"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    path("favicon.ico", home_views.favicon, name="favicon"),
    # The installable app: /manifest.webmanifest, /sw.js (at the root: its scope is the
    # whole site), the offline page and the content version (/hors-ligne/…).
    path("", include("offline.urls")),
    # Load balancer and monitoring probe (database and cache), see config/health.py.
    path("healthz", healthz, name="healthz"),
    # Learner actions (/apprendre/…) and « Mon espace » (/espace/); /formations/ is Wagtail's.
    path("", include("courses.urls")),
    # Public verification (/verifier/…) and the holder's certificates (/espace/certificats/…).
    path("", include("certificates.urls")),
    # The trainer area (/formateur/…): sessions, participants, attendance, check-in display.
    path("formateur/", include("courses.sessions.trainer.urls")),
    # Published results (/resultats/): Qualiopi indicators 1–2, aggregates only.
    path("resultats/", include("pilotage.results.urls")),
    # Sessions (/sessions/…), the personal calendar feed (/calendrier/…), check-in (/pointage/…).
    path("", include("courses.sessions.urls")),
    # Satisfaction questionnaires (/questionnaires/…): by e-mail link or from « Mon espace ».
    path("", include("surveys.urls")),
    # Complaints and reports of a problem (/reclamation/…).
    path("", include("quality.urls")),
]

if settings.SERVE_MEDIA_IMAGES:
    from django.views.static import serve

    # Development and `make run` only, and never the private files: documents go through Wagtail's
    # serve view (permissions, Content-Disposition: attachment) and certificates
    # through their views, which check who asks. Production web servers must not
    # serve MEDIA_ROOT/documents/ or PRIVATE_MEDIA_ROOT either (docs/deployment.md):
    # only MEDIA_ROOT/images/ (renditions) may be served directly.
    urlpatterns += [
        re_path(
            r"^media/images/(?P<path>.*)$",
            serve,
            {"document_root": Path(settings.MEDIA_ROOT) / "images"},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
