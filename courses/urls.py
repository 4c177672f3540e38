"""« Mon espace » (/espace/) and the self-paced wing's learner actions (/apprendre/…).

One namespace, `courses`, as before the wings were split: mounted at the site root
before Wagtail's catch-all. The in-person wing has its own (`courses.sessions.urls`,
`courses.sessions.trainer.urls`).
"""

from django.urls import path

from courses import espace
from courses.modules import urls as modules_urls

app_name = "courses"

urlpatterns = [
    path("espace/", espace.dashboard, name="dashboard"),
    *modules_urls.urlpatterns,
]
