"""Private file URLs (see dossiers.files); included under /fichiers/ by cee/urls.py, in the
« documents » namespace they always had (documents:document-file, documents:page-image)."""
from django.urls import path

from . import files

app_name = "documents"

urlpatterns = [
    path("documents/<int:pk>/", files.document_file, name="document-file"),
    path("documents/<int:pk>/pages/<int:number>/", files.page_image, name="page-image"),
]
