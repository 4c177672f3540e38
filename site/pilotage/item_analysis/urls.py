"""Admin URLs of the item analysis, under /admin/pilotage/ (included by pilotage)."""

from django.urls import path

from .views import ItemAnalysisView

app_name = "pilotage_item_analysis"

urlpatterns = [
    path("quiz/<int:quiz_id>/", ItemAnalysisView.as_view(), name="quiz"),
]
