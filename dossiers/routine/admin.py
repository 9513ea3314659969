"""What the routine jobs did, read-only in the admin (their schedules: django-q2's admin)."""
from __future__ import annotations

from django.contrib import admin

from cee.admin import ReadOnlyAdminMixin

from .models import RoutineNotice


@admin.register(RoutineNotice)
class RoutineNoticeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "kind", "key", "installer", "dossier", "detail"]
    list_filter = ["kind"]
    search_fields = ["key", "detail", "installer__name", "dossier__reference"]
    list_select_related = ["installer", "dossier"]
    date_hierarchy = "created_at"
