"""django-q2 entry point of mail ingestion (the « Relevé des boîtes mail » schedule)."""
from __future__ import annotations

from .services import fetch_all_mail


def fetch_mail_task() -> list[dict]:
    return [report.as_dict() for report in fetch_all_mail()]
