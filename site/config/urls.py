from django.conf import settings
from django.urls import include, path
from django.views.i18n import set_language
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import views as home_views

urlpatterns = [
    # Profile, and Wagtail's login/logout paths handed to allauth: before "admin/".
    path("", include("accounts.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("comptes/", include("allauth.urls")),
    path("langue/", set_language, name="set_language"),
    path("recherche/", home_views.search, name="search"),
    path("robots.txt", home_views.robots_txt, name="robots_txt"),
    # Learner actions (/apprendre/…) and « Mon espace » (/espace/); /formations/ is Wagtail's.
    path("", include("courses.urls")),
    # Public verification (/verifier/…) and the holder's certificates (/espace/certificats/…).
    path("", include("certificates.urls")),
    # The trainer area (/formateur/…): sessions, participants, attendance, check-in display.
    path("formateur/", include("courses.trainer_urls")),
    # Sessions (/sessions/…), the personal calendar feed (/calendrier/…), check-in (/pointage/…).
    path("", include("courses.session_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "home.views.page_not_found"
handler500 = "home.views.server_error"
