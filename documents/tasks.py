"""django-q2 entry points of the documents app (scheduled by ``extraction.schedules``)."""
from __future__ import annotations

from .storage import purge_orphan_files


def purge_orphan_files_task() -> int:
    """Delete stored files no document or page refers to, older than an hour. Returns the count."""
    return len(purge_orphan_files())
