"""WSGI entry point (gunicorn config.wsgi)."""

import gc
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

# What is loaded by now (Django, Wagtail, the project's modules and URLs) lives as
# long as the process: moved out of the garbage collector's generations, so that its
# full collections, which the ORM's and templates' objects trigger on every few
# requests, no longer walk it (about a tenth of « Mon espace »'s time in-process).
gc.freeze()
