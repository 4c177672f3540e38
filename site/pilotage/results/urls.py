"""/resultats/ (public): overall and per publisher."""

from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:publisher_id>/", views.publisher_results, name="publisher"),
]
