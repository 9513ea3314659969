"""A mixin for admin pages that show records nobody edits by hand (logs, counters, traces)."""
from __future__ import annotations


class ReadOnlyAdminMixin:
    """No add, change or delete from the admin: the list and the detail page stay visible to
    whoever has the view permission. Put it before ModelAdmin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
