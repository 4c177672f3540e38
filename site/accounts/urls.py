"""Account URLs that sit outside allauth's `/comptes/` include.

Mounted at the site root *before* the Wagtail admin and Wagtail core URLs, so
that Wagtail's own login and logout paths lead to allauth (one login path).
"""

from django.urls import path

from . import views
from .privacy import views as privacy_views

urlpatterns = [
    path("comptes/profil/", views.profile, name="account_profile"),
    # The once-only box of « Mon espace » posts here (sector and workplace).
    path("comptes/profil/completer/", views.profile_prompt, name="account_profile_prompt"),
    path("admin/login/", views.admin_login, name="reperes_admin_login"),
    # The admin menu's "Log out" button POSTs here; a GET shows allauth's confirmation.
    path("admin/logout/", views.LogoutView.as_view(), name="reperes_admin_logout"),
    # allauth's own logout path, taken first: the same view, with Clear-Site-Data.
    path("comptes/logout/", views.LogoutView.as_view(), name="account_logout"),
    path("_util/login/", views.frontend_login, name="reperes_frontend_login"),
    # « Mes données » in « Mon espace »: see, download, delete (accounts/privacy/views.py).
    path("espace/mes-donnees/", privacy_views.my_data, name="account_my_data"),
    path("espace/mes-donnees/json/", privacy_views.my_data_json, name="account_my_data_json"),
    path(
        "espace/mes-donnees/supprimer-mon-compte/",
        privacy_views.delete_account,
        name="account_delete",
    ),
    path("compte-supprime/", privacy_views.account_deleted, name="account_deleted"),
    # The signed one-click link of the learning reminder e-mails (accounts/reminders.py).
    path(
        "compte/rappels/<str:token>/",
        views.learning_reminders_optout,
        name="account_learning_reminders_optout",
    ),
]
