from django.urls import path

from quality import views

app_name = "quality"

urlpatterns = [
    path("reclamation/", views.complaint, name="complaint"),
    path("reclamation/envoyee/", views.complaint_sent, name="complaint_sent"),
]
