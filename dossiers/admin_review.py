"""The Dossier admin: the validators' queue and review screen."""
from django.contrib import admin

from .models import Dossier


@admin.register(Dossier)
class DossierAdmin(admin.ModelAdmin):
    list_display = ["reference", "beneficiary_name", "installer", "status", "priority", "submitted_at"]
    list_filter = ["status"]
    search_fields = ["reference", "beneficiary_name"]
    list_select_related = ["installer"]
