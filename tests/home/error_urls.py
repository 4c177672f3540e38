"""The project's URLs plus one view that fails, to exercise handler500."""

from django.urls import path

from config.urls import handler404, handler500
from config.urls import urlpatterns as project_urlpatterns


def failing_view(request):
    raise RuntimeError("a bug")


urlpatterns = [path("panne/", failing_view), *project_urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
