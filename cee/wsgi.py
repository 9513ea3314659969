"""WSGI entry point (gunicorn cee.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")
application = get_wsgi_application()

# Load the URLconf (every admin, the portal, DRF and drf-spectacular) while the worker starts
# rather than in its first request: ~0.8 s a user would otherwise wait on the first page.
get_resolver().url_patterns
