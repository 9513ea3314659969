"""Document types, uploaded documents and their pages."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class DocumentTypeManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class DocumentType(models.Model):
    """A kind of document (devis, facture, attestation sur l'honneur…).

    ``classification_hints`` is data the classifier reads: keywords and phrases with
    weights, and the words that must not appear; see extraction.pipeline.classify.
    """

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("nom", max_length=120)
    description = models.TextField("description", blank=True)
    classification_hints = models.JSONField(
        "indices de classification", default=dict, blank=True,
        help_text='{"keywords": {"devis": 3, "bon pour accord": 2}, "negative": ["facture n°"]}',
    )
    is_active = models.BooleanField("actif", default=True)
    display_order = models.PositiveSmallIntegerField("ordre", default=0)

    objects = DocumentTypeManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "type de document"
        verbose_name_plural = "types de document"
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.code,)


STORED_SUFFIX_BY_MIME = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/tiff": ".tif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "image/gif": ".gif",
    "image/bmp": ".bmp",
}


def document_upload_to(instance: "Document", filename: str) -> str:
    # The stored name never reuses the uploaded name (path traversal, control characters).
    suffix = STORED_SUFFIX_BY_MIME.get(instance.mime_type, "")
    return f"dossiers/{instance.dossier_id}/{uuid.uuid4().hex}{suffix}"


def page_image_upload_to(instance: "Page", filename: str) -> str:
    # The pipeline chooses the image format (JPEG by default); only its suffix is kept.
    suffix = ".jpg" if filename.lower().endswith((".jpg", ".jpeg")) else ".png"
    return f"pages/{instance.document.dossier_id}/{instance.document_id}/{instance.number:04d}-{uuid.uuid4().hex[:8]}{suffix}"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", "En attente"
    PROCESSING = "processing", "En traitement"
    PROCESSED = "processed", "Traité"
    FAILED = "failed", "Échec"
    SPLIT = "split", "Découpé"


class Document(models.Model):
    """An uploaded file, or a part of one split at a document boundary (``parent``)."""

    # Indexed by document_dossier_status_idx (leading column).
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="documents", db_index=False)
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, null=True, blank=True, related_name="documents", verbose_name="type")
    declared_type = models.ForeignKey(
        DocumentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="type déclaré"
    )
    file = models.FileField("fichier", upload_to=document_upload_to, max_length=255, blank=True)
    original_filename = models.CharField("nom d'origine", max_length=255)
    mime_type = models.CharField("type MIME", max_length=100)
    size = models.PositiveBigIntegerField("taille (octets)", default=0)
    sha256 = models.CharField("SHA-256", max_length=64)  # indexed in Meta (equality only, no LIKE index)
    page_count = models.PositiveIntegerField("pages", default=0)
    status = models.CharField("statut", max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.PENDING)
    classification_confidence = models.DecimalField("confiance du type", max_digits=4, decimal_places=3, null=True, blank=True)
    needs_review = models.BooleanField("à vérifier", default=False)
    text = models.TextField("texte", blank=True)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children", verbose_name="document d'origine")
    page_start = models.PositiveIntegerField("première page", null=True, blank=True)
    page_end = models.PositiveIntegerField("dernière page", null=True, blank=True)
    error_message = models.TextField("erreur", blank=True)
    error_code = models.CharField(
        "code d'erreur", max_length=40, blank=True, help_text="no_text, ocr_failed, stage_failed, interrupted…"
    )
    flags = models.JSONField("signaux", default=list, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="déposé par")
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)
    processed_at = models.DateTimeField("traité le", null=True, blank=True)
    # Set when a worker claims the document (extraction.services.claim_document).
    processing_started_at = models.DateTimeField("traitement commencé le", null=True, blank=True)
    # Refreshed every few seconds by the worker while it processes the document (a lease):
    # one whose heartbeat stopped was abandoned, however long its processing may take.
    processing_heartbeat_at = models.DateTimeField("dernier signe du traitement", null=True, blank=True)
    processing_attempts = models.PositiveSmallIntegerField("essais de traitement", default=0)

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documents"
        ordering = ["dossier", "uploaded_at", "page_start"]
        constraints = [
            # The same file twice in one dossier is refused (split children share the hash).
            models.UniqueConstraint(
                fields=["dossier", "sha256"], condition=Q(parent__isnull=True), name="document_unique_file_per_dossier"
            ),
            models.CheckConstraint(
                condition=Q(classification_confidence__isnull=True)
                | (Q(classification_confidence__gte=0) & Q(classification_confidence__lte=1)),
                name="document_confidence_between_0_and_1",
            ),
            models.CheckConstraint(
                condition=Q(page_start__isnull=True) | Q(page_end__isnull=True) | Q(page_end__gte=F("page_start")),
                name="document_page_range_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["dossier", "status"], name="document_dossier_status_idx"),
            models.Index(fields=["status", "uploaded_at"], name="document_status_idx"),
            models.Index(fields=["sha256"], name="document_sha256_idx"),  # duplicate-file and fraud checks
        ]

    def __str__(self) -> str:
        kind = self.document_type.name if self.document_type_id else "non classé"
        pages = f" p.{self.page_start}-{self.page_end}" if self.parent_id else ""
        return f"{self.original_filename}{pages} ({kind})"

    @property
    def source(self) -> "Document":
        """The document whose file holds this document's pages."""
        return self.parent if self.parent_id else self


class DocumentSearchVector(models.Model):
    """The full-text vector of a document's text, for the global search (``dossiers.global_search``).

    PostgreSQL only: a trigger (migration ``dossiers.0016_document_search_vector``) writes the row
    when a document gets a text or its text changes, and a GIN index serves the search. It is a
    table of its own, not a column of ``documents_document``, because the pipeline updates each
    document's status six to nine times: in the document row, every such (non-HOT) update would
    copy the vector and re-insert its lexemes into the GIN index; here nothing but a text change
    touches it. On SQLite the table stays empty (the search folds accents in Python).
    """

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="search_vector", verbose_name="document"
    )
    vector = SearchVectorField("vecteur de recherche", null=True, editable=False)

    class Meta:
        verbose_name = "vecteur de recherche"
        verbose_name_plural = "vecteurs de recherche"

    def __str__(self) -> str:
        return f"Vecteur de recherche du document {self.document_id}"


class Page(models.Model):
    """One page: its text, its OCR words with boxes (relative 0–1), its rendered image."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField("n°")
    width = models.FloatField("largeur", default=0)
    height = models.FloatField("hauteur", default=0)
    text = models.TextField("texte", blank=True)
    words = models.JSONField("mots", default=list, blank=True, help_text="[{text, conf, bbox: [x0, y0, x1, y1]}]")
    has_text_layer = models.BooleanField("couche texte", default=False)
    text_source = models.CharField("source du texte", max_length=30, blank=True)
    ocr_confidence = models.FloatField("confiance OCR", null=True, blank=True)
    rotation = models.PositiveSmallIntegerField(
        "rotation appliquée", default=0, help_text="Degrés (sens horaire) appliqués pour redresser la page lue."
    )
    image = models.ImageField("image", upload_to=page_image_upload_to, max_length=255, blank=True)

    class Meta:
        verbose_name = "page"
        verbose_name_plural = "pages"
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="page_unique_number")]

    def __str__(self) -> str:
        return f"{self.document} — page {self.number}"
