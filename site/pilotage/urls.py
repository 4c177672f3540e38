"""Admin URLs of the dashboard, under /admin/pilotage/ (namespace « pilotage »)."""

from django.urls import include, path

from . import views

app_name = "pilotage"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export/<slug:key>/", views.ExportView.as_view(), name="export"),
    path("bilan/", views.BilanRequestView.as_view(), name="bilan"),
    path("bilan/<int:pk>/", views.BilanStatusView.as_view(), name="bilan_status"),
    path("bilan/<int:pk>/telecharger/", views.BilanDownloadView.as_view(), name="bilan_download"),
]

# The item analysis of each quiz (owner G, site/pilotage/item_analysis/):
# « pilotage:item_analysis:quiz ».
urlpatterns.append(path("", include("pilotage.item_analysis.urls")))
