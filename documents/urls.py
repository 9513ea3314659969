"""Private file URLs (see documents.views); included under /fichiers/ by cee/urls.py."""
from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("documents/<int:pk>/", views.document_file, name="document-file"),
    path("documents/<int:pk>/pages/<int:number>/", views.page_image, name="page-image"),
]
