"""Account URLs that sit outside allauth's `/comptes/` include.

Mounted at the site root *before* the Wagtail admin and Wagtail core URLs, so
that Wagtail's own login and logout paths lead to allauth (one login path).
"""

from allauth.account.views import LogoutView
from django.urls import path

from . import views

urlpatterns = [
    path("comptes/profil/", views.profile, name="account_profile"),
    path("admin/login/", views.admin_login, name="reperes_admin_login"),
    # The admin menu's "Log out" button POSTs here; a GET shows allauth's confirmation.
    path("admin/logout/", LogoutView.as_view(), name="reperes_admin_logout"),
    path("_util/login/", views.frontend_login, name="reperes_frontend_login"),
]
