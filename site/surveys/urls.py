from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("questionnaires/invitation/<uuid:uuid>/", views.by_invitation, name="invitation"),
    path("questionnaires/<str:token>/", views.by_token, name="token"),
]
