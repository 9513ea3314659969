"""Stored files follow their rows: deleting a Document or a Page deletes its file once the
deletion commits (a rolled-back deletion keeps the file)."""
from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Document, Page

logger = logging.getLogger(__name__)


def delete_stored_file_on_commit(field_file) -> None:
    name = getattr(field_file, "name", "")
    if not name:
        return
    storage = field_file.storage

    def delete():
        try:
            storage.delete(name)
        except Exception:  # storage down: purge_orphan_files removes it later
            logger.exception("Could not delete stored file %s", name)

    transaction.on_commit(delete)


@receiver(post_delete, sender=Document, dispatch_uid="documents_delete_document_file")
def delete_document_file(sender, instance: Document, **kwargs):
    # Split children have no file of their own: they read their parent's.
    delete_stored_file_on_commit(instance.file)


@receiver(post_delete, sender=Page, dispatch_uid="documents_delete_page_image")
def delete_page_image(sender, instance: Page, **kwargs):
    delete_stored_file_on_commit(instance.image)
