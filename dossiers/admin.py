"""Admin for the dossiers app. The Dossier admin (queue, review) lives in admin_review.py."""
from . import admin_review  # noqa: F401
