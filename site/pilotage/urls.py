"""Admin URLs of the dashboard, under /admin/pilotage/ (namespace « pilotage »)."""

from importlib.util import find_spec

from django.urls import include, path

from . import views

app_name = "pilotage"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export/<slug:key>/", views.ExportView.as_view(), name="export"),
    path("bilan/", views.BilanView.as_view(), name="bilan"),
]

# The item analysis of each quiz (owner G, site/pilotage/item_analysis/).
if find_spec("pilotage.item_analysis.urls") if find_spec("pilotage.item_analysis") else None:
    urlpatterns.append(path("", include("pilotage.item_analysis.urls")))
