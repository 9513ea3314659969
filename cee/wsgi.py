"""WSGI entry point (gunicorn cee.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cee.settings")
application = get_wsgi_application()
