"""Admin URLs of the item analysis, under /admin/pilotage/: included by the pilotage
admin URLs (namespace « pilotage »), so the full name is « pilotage:item_analysis:quiz »."""

from django.urls import path

from .views import ItemAnalysisView

app_name = "item_analysis"

urlpatterns = [
    path("quiz/<int:quiz_id>/", ItemAnalysisView.as_view(), name="quiz"),
]
