"""Field schemas, extracted fields, human feedback, engine settings, metrics, stage runs."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords


class DataType(models.TextChoices):
    STRING = "string", "Texte"
    DATE = "date", "Date"
    DECIMAL = "decimal", "Décimal"
    INTEGER = "integer", "Entier"
    SIRET = "siret", "SIRET"
    POSTAL_CODE = "postal_code", "Code postal"
    CEE_CODE = "cee_code", "Code(s) fiche CEE"
    BOOLEAN = "boolean", "Oui / non"


class FieldSchemaManager(models.Manager):
    def get_by_natural_key(self, document_type_code, name):
        return self.get(document_type__code=document_type_code, name=name)


class FieldSchema(models.Model):
    """One field to extract from a document type.

    ``extraction_hints`` is data read by the extractor: label variants, regular
    expressions, whether the value may sit below the label, the table column names.
    """

    document_type = models.ForeignKey("documents.DocumentType", on_delete=models.CASCADE, related_name="field_schemas",
                                      verbose_name="type de document")
    name = models.SlugField("nom", max_length=60)
    label = models.CharField("libellé", max_length=120)
    data_type = models.CharField("type", max_length=20, choices=DataType.choices, default=DataType.STRING)
    required = models.BooleanField("obligatoire", default=False)
    validation_pattern = models.CharField("motif de validation", max_length=255, blank=True)
    extraction_hints = models.JSONField(
        "indices d'extraction", default=dict, blank=True,
        help_text='{"labels": ["date de facture", "facturé le"], "regex": [], "below": true}',
    )
    display_order = models.PositiveSmallIntegerField("ordre", default=0)
    is_active = models.BooleanField("actif", default=True)

    objects = FieldSchemaManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "champ à extraire"
        verbose_name_plural = "schémas de champs"
        ordering = ["document_type", "display_order", "name"]
        constraints = [models.UniqueConstraint(fields=["document_type", "name"], name="field_schema_unique_name")]

    def __str__(self) -> str:
        return f"{self.document_type.code}.{self.name}"

    def natural_key(self):
        return (self.document_type.code, self.name)

    natural_key.dependencies = ["documents.documenttype"]


class FieldStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", "Non vérifié"
    CONFIRMED = "confirmed", "Confirmé"
    CORRECTED = "corrected", "Corrigé"
    WRONG = "wrong", "Faux"


def effective_value(status: str, value: str, corrected_value: str) -> str:
    """The value that counts: the validator's correction when there is one."""
    return corrected_value if status == FieldStatus.CORRECTED else value


class ExtractionMethod(models.TextChoices):
    TEXT_LAYER = "text_layer", "Couche texte"
    OCR = "ocr", "OCR"
    TEMPLATE = "template", "Modèle"
    MANUAL = "manual", "Saisie manuelle"


class ExtractedField(models.Model):
    """The value of one schema field read from one document, located and scored."""

    # document, dossier and schema are the leading columns of the unique constraint and the
    # indexes of Meta: no single-column index of their own (millions of rows to maintain).
    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, related_name="fields", db_index=False)
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="fields", db_index=False)
    schema = models.ForeignKey(FieldSchema, on_delete=models.PROTECT, related_name="values", db_index=False, verbose_name="champ")
    value = models.TextField("valeur normalisée", blank=True)
    raw_text = models.TextField("texte lu", blank=True)
    confidence = models.DecimalField("confiance", max_digits=4, decimal_places=3, default=0)
    status = models.CharField("statut", max_length=20, choices=FieldStatus.choices, default=FieldStatus.UNREVIEWED)
    original_value = models.TextField("valeur d'origine", blank=True)
    corrected_value = models.TextField("valeur corrigée", blank=True)
    page = models.PositiveIntegerField("page", null=True, blank=True)
    bbox = models.JSONField("zone", null=True, blank=True, help_text="[x0, y0, x1, y1] relatifs à la page (0–1)")
    method = models.CharField("méthode", max_length=20, choices=ExtractionMethod.choices, default=ExtractionMethod.TEXT_LAYER)
    engine = models.CharField("moteur", max_length=60, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     db_index=False, verbose_name="confirmé par")  # partial index in Meta
    confirmed_at = models.DateTimeField("confirmé le", null=True, blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                     db_index=False, verbose_name="corrigé par")  # partial index in Meta
    corrected_at = models.DateTimeField("corrigé le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "champ extrait"
        verbose_name_plural = "champs extraits"
        ordering = ["document", "schema__display_order"]
        constraints = [
            models.UniqueConstraint(fields=["document", "schema"], name="extracted_field_unique_per_document"),
            models.CheckConstraint(condition=Q(confidence__gte=0) & Q(confidence__lte=1), name="extracted_field_confidence_between_0_and_1"),
            models.CheckConstraint(condition=Q(page__isnull=True) | Q(page__gte=1), name="extracted_field_page_positive"),
        ]
        indexes = [
            models.Index(fields=["dossier", "status"], name="extracted_field_dossier_idx"),
            models.Index(fields=["schema", "status"], name="extracted_field_schema_idx"),
            # Who confirmed or corrected: most fields have nobody yet, index only those that do.
            models.Index(fields=["confirmed_by"], name="extracted_field_confirmer_idx", condition=Q(confirmed_by__isnull=False)),
            models.Index(fields=["corrected_by"], name="extracted_field_corrector_idx", condition=Q(corrected_by__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.schema} = {self.value!r}"

    @property
    def effective_value(self) -> str:
        return effective_value(self.status, self.value, self.corrected_value)


class HumanFeedback(models.Model):
    """A validator's verdict on an extracted value: the training signal."""

    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmé"
        CORRECTED = "corrected", "Corrigé"
        WRONG = "wrong", "Marqué faux"

    extracted_field = models.ForeignKey(ExtractedField, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback", verbose_name="champ extrait")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="feedback")
    document = models.ForeignKey("documents.Document", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    document_type_code = models.CharField("type de document", max_length=40, db_index=True)
    field_name = models.CharField("champ", max_length=60, db_index=True)
    kind = models.CharField("verdict", max_length=20, choices=Kind.choices)
    original_value = models.TextField("valeur extraite", blank=True)
    corrected_value = models.TextField("correction", blank=True)
    context = models.JSONField("contexte", default=dict, blank=True, help_text="texte autour, page, zone…")
    engine_name = models.CharField("moteur", max_length=60, blank=True)
    engine_version = models.CharField("version du moteur", max_length=60, blank=True)
    confidence_before = models.DecimalField("confiance avant", max_digits=4, decimal_places=3, null=True, blank=True)
    used_for_training = models.BooleanField("utilisé pour l'entraînement", default=False)
    export_batch = models.CharField("lot d'export", max_length=40, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="créé par")
    created_at = models.DateTimeField("créé le", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "retour humain"
        verbose_name_plural = "retours humains"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence_before__isnull=True) | (Q(confidence_before__gte=0) & Q(confidence_before__lte=1)),
                name="feedback_confidence_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_type_code}.{self.field_name}: {self.get_kind_display()}"


class EngineConfig(models.Model):
    """Which engine runs a task (OCR, classification, extraction), with its parameters."""

    class Task(models.TextChoices):
        OCR = "ocr", "OCR"
        CLASSIFICATION = "classification", "Classification"
        EXTRACTION = "extraction", "Extraction"

    task = models.CharField("tâche", max_length=30, choices=Task.choices)
    engine = models.CharField("moteur", max_length=40, help_text="ocr: auto, tesseract, easyocr ; classification: keywords ; extraction: anchors")
    parameters = models.JSONField("paramètres", default=dict, blank=True)
    is_active = models.BooleanField("actif", default=True)
    priority = models.PositiveSmallIntegerField("priorité", default=100, help_text="Le moteur actif de plus petite priorité gagne.")
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "réglage de moteur"
        verbose_name_plural = "réglages des moteurs"
        ordering = ["task", "priority"]
        constraints = [models.UniqueConstraint(fields=["task", "engine"], name="engine_config_unique")]

    def __str__(self) -> str:
        return f"{self.get_task_display()} : {self.engine}{'' if self.is_active else ' (inactif)'}"


class RankingModel(models.Model):
    """One version of the learned ranking of a field's candidates (``extraction.ranking``): a
    scikit-learn classifier serialised in the row (so it works whatever the file storage),
    trained on the validated documents; ``is_active`` when it chose better than the rule-based
    order on the validated documents held out of its training, and only then used."""

    field_name = models.CharField("champ", max_length=60, db_index=True)
    version = models.PositiveIntegerField("version")
    payload = models.BinaryField("modèle sérialisé")
    feature_names = models.JSONField("variables", default=list)
    documents = models.PositiveIntegerField("documents validés", default=0)
    examples = models.PositiveIntegerField("candidats", default=0)
    is_active = models.BooleanField("utilisé", default=False)
    trained_at = models.DateTimeField("entraîné le", auto_now_add=True)

    class Meta:
        verbose_name = "classement appris"
        verbose_name_plural = "classements appris"
        ordering = ["field_name", "-version"]
        constraints = [models.UniqueConstraint(fields=["field_name", "version"], name="ranking_model_field_version_unique")]

    def __str__(self) -> str:
        return f"{self.field_name} v{self.version}{' (utilisé)' if self.is_active else ''}"


class ModelMetric(models.Model):
    """A measured quality figure of an engine on a task (and a field)."""

    task = models.CharField("tâche", max_length=30, choices=EngineConfig.Task.choices)
    field_name = models.CharField("champ", max_length=60, blank=True)
    document_type_code = models.CharField("type de document", max_length=40, blank=True)
    engine = models.CharField("moteur", max_length=60)
    engine_version = models.CharField("version", max_length=60, blank=True)
    accuracy = models.FloatField("exactitude", null=True, blank=True)
    precision = models.FloatField(null=True, blank=True)
    recall = models.FloatField("rappel", null=True, blank=True)
    f1 = models.FloatField("F1", null=True, blank=True)
    sample_size = models.PositiveIntegerField("échantillon", default=0)
    measured_at = models.DateTimeField("mesuré le", auto_now_add=True)

    class Meta:
        verbose_name = "métrique de modèle"
        verbose_name_plural = "métriques des modèles"
        ordering = ["-measured_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(accuracy__isnull=True) | (Q(accuracy__gte=0) & Q(accuracy__lte=1)))
                & (Q(precision__isnull=True) | (Q(precision__gte=0) & Q(precision__lte=1)))
                & (Q(recall__isnull=True) | (Q(recall__gte=0) & Q(recall__lte=1)))
                & (Q(f1__isnull=True) | (Q(f1__gte=0) & Q(f1__lte=1))),
                name="model_metric_scores_between_0_and_1",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.engine} {self.field_name or ''} F1={self.f1}"


class StageRun(models.Model):
    """One run of one pipeline stage on one document: outcome and duration."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "En cours"
        SUCCEEDED = "succeeded", "Réussi"
        SKIPPED = "skipped", "Sans objet"
        FAILED = "failed", "Échec"
        RETRYING = "retrying", "Nouvel essai"

    document = models.ForeignKey("documents.Document", on_delete=models.CASCADE, null=True, blank=True, related_name="stage_runs")
    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.CASCADE, related_name="stage_runs")
    stage = models.CharField("étape", max_length=40)
    outcome = models.CharField("résultat", max_length=20, choices=Outcome.choices, default=Outcome.RUNNING)
    attempt = models.PositiveSmallIntegerField("essai", default=1)
    started_at = models.DateTimeField("début")
    duration_ms = models.PositiveIntegerField("durée (ms)", null=True, blank=True)
    error = models.TextField("erreur", blank=True)
    details = models.JSONField("détails", default=dict, blank=True)

    class Meta:
        verbose_name = "exécution d'étape"
        verbose_name_plural = "exécutions d'étapes"
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["dossier", "-started_at"], name="stage_run_dossier_idx")]

    def __str__(self) -> str:
        return f"{self.stage} {self.get_outcome_display()} ({self.duration_ms} ms)"


class LayoutFingerprint(models.Model):
    """A document layout met before, learned from validators' verdicts.

    ``features`` are the words of the layout's first page that are not values (no digits),
    each with its coarse position ("devis@2,1"): two documents of one template share most of
    them whatever their values. ``issuer`` (the SIRET, or else the company name, read on the
    page) makes a match more specific; the matching lives in ``extraction.learning``.
    """

    document_type = models.ForeignKey("documents.DocumentType", on_delete=models.CASCADE, related_name="+",
                                      verbose_name="type de document")
    digest = models.CharField("empreinte", max_length=32, unique=True)
    issuer = models.CharField("émetteur", max_length=120, blank=True,
                              help_text="SIRET lu sur la page, sinon le nom de l'entreprise (normalisé).")
    page_count = models.PositiveSmallIntegerField("pages", default=1)
    page_shape = models.CharField("format de page", max_length=20, blank=True)
    features = models.JSONField("repères", default=list, blank=True,
                                help_text="Mots du modèle (sans chiffres) avec leur position grossière sur la page.")
    documents_learned = models.PositiveIntegerField("documents appris", default=0)
    # A validator corrected the type of documents of this layout: the classifier read them as
    # ``misread_as``. The next document of the layout the classifier reads so gets the layout's
    # type (``learning.apply.learned_type``).
    types_corrected = models.PositiveIntegerField(
        "types corrigés", default=0,
        help_text="Documents de ce modèle dont un validateur a corrigé le type : les suivants prennent le type du modèle.")
    misread_as = models.CharField("lu à tort comme", max_length=50, blank=True,
                                  help_text="Type que la classification donnait aux documents de ce modèle avant correction.")
    is_active = models.BooleanField("actif", default=True,
                                    help_text="Décocher pour que l'extraction n'utilise plus ce qui a été appris de ce modèle.")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "modèle de document appris"
        verbose_name_plural = "modèles de documents appris"
        ordering = ["-updated_at"]
        indexes = [models.Index(fields=["document_type", "is_active"], name="layout_fingerprint_type_idx")]

    def __str__(self) -> str:
        return f"{self.document_type.code} {self.issuer or 'émetteur inconnu'} ({self.digest[:8]})"


class LearnedFieldLocation(models.Model):
    """Where a field sits on a learned layout: its box on the page and, when a text precedes
    it on its line or above it, that anchor text and the value's offset from it. ``absent``
    records that the layout does not carry the field. ``count`` is how many verdicts agree,
    ``corrections`` how many of them say the extractor misread the value (another value, not a
    case or a civility; a value marked wrong): where it was confirmed, it reads that layout right."""

    class Relation(models.TextChoices):
        LEFT = "left", "À droite du repère"
        ABOVE = "above", "Sous le repère"
        CLAUSE = "clause", "Plus loin dans la phrase du repère"
        NONE = "none", "Position sur la page"

    fingerprint = models.ForeignKey(LayoutFingerprint, on_delete=models.CASCADE, related_name="locations",
                                    verbose_name="modèle")
    schema = models.ForeignKey(FieldSchema, on_delete=models.CASCADE, related_name="+", verbose_name="champ")
    key = models.CharField("clé", max_length=200, help_text="Page, relation et repère : les verdicts de même clé concordent.")
    absent = models.BooleanField("absent du modèle", default=False)
    page = models.PositiveSmallIntegerField("page", null=True, blank=True)
    bbox = models.JSONField("zone", null=True, blank=True, help_text="[x0, y0, x1, y1] relatifs à la page (0–1)")
    relation = models.CharField("relation", max_length=10, choices=Relation.choices, default=Relation.NONE)
    anchor = models.CharField("texte repère", max_length=120, blank=True)
    offset = models.JSONField("décalage", null=True, blank=True, help_text="Zone de la valeur moins celle du repère.")
    value_words = models.PositiveSmallIntegerField("mots de la valeur", default=0,
                                                   help_text="Combien de mots la valeur apprise comptait.")
    followed_by = models.CharField("mot suivant", max_length=60, blank=True,
                                   help_text="Le mot qui suivait la valeur sur sa ligne (où un texte s'arrête).")
    clauses_skipped = models.PositiveSmallIntegerField(
        "virgules sautées", default=0, help_text="Dans une phrase : combien de virgules séparent le repère de la valeur.")
    words_skipped = models.PositiveSmallIntegerField(
        "mots sautés", default=0, help_text="Dans une phrase : combien de mots séparent la dernière virgule de la valeur.")
    values_skipped = models.PositiveSmallIntegerField(
        "nombres sautés", default=0,
        help_text="Après le repère : combien de nombres précèdent la valeur (« TVA 5,5 % 300,37 € »).")
    value_shapes = models.JSONField(
        "formes de la valeur", default=list, blank=True,
        help_text="Formes des valeurs apprises (A majuscule, a minuscule, 9 chiffre) : une lecture d'une autre "
                  "forme est une autre ligne de la page ; un numéro lu par l'OCR est relu dans cette forme.")
    value_head = models.CharField(
        "début de numérotation", max_length=12, null=True, blank=True,
        help_text="Les lettres et signes qui ouvrent toutes les valeurs apprises avant leur premier chiffre (« F- » "
                  "de F-244733). Vide dès que deux verdicts en ont appris deux différents. Appris sur deux documents "
                  "du type, ou un seul du même modèle, un numéro lu par l'OCR avec un de ces caractères mal lu "
                  "(« E-244733 ») est relu avec lui.")
    constant = models.CharField(
        "valeur constante", max_length=200, null=True, blank=True,
        help_text="La valeur (texte ou SIRET) que tous les verdicts de ce repère ont apprise : le nom, le SIRET de "
                  "l'émetteur. Vide dès que deux verdicts en ont appris deux différentes. Apprise sur deux documents "
                  "ou plus du modèle, elle est relue sur les suivants malgré les fautes d'un scan.")
    count = models.PositiveIntegerField("verdicts concordants", default=1)
    corrections = models.PositiveIntegerField(
        "dont corrections", default=0,
        help_text="Verdicts qui disent que l'extracteur a lu une autre valeur (corrigée en d'autres mots, ou "
                  "marquée fausse) : ni une casse ou une civilité corrigée, ni une valeur manquante complétée.")
    is_active = models.BooleanField("actif", default=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "position apprise d'un champ"
        verbose_name_plural = "positions apprises des champs"
        ordering = ["fingerprint", "schema", "-count"]
        constraints = [
            models.UniqueConstraint(fields=["fingerprint", "schema", "key"], name="learned_location_unique_key"),
            models.CheckConstraint(condition=Q(page__isnull=True) | Q(page__gte=1), name="learned_location_page_positive"),
            models.CheckConstraint(condition=Q(corrections__lte=F("count")), name="learned_location_corrections_le_count"),
        ]

    def __str__(self) -> str:
        where = "absent" if self.absent else (self.anchor or f"p.{self.page}")
        return f"{self.schema.name} : {where} ×{self.count}"


class LearnedLabelPhrase(models.Model):
    """A label phrase learned from corrections: the words just before the corrected value on its
    line (or on the line above). Active phrases are extra labels of the field for every layout."""

    schema = models.ForeignKey(FieldSchema, on_delete=models.CASCADE, related_name="learned_phrases", verbose_name="champ")
    phrase = models.CharField("libellé appris", max_length=120)
    count = models.PositiveIntegerField("corrections", default=1)
    is_active = models.BooleanField("actif", default=True,
                                    help_text="Décocher pour que l'extraction n'utilise plus ce libellé.")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "libellé appris"
        verbose_name_plural = "libellés appris"
        ordering = ["schema", "-count", "phrase"]
        constraints = [models.UniqueConstraint(fields=["schema", "phrase"], name="learned_phrase_unique")]

    def __str__(self) -> str:
        return f"{self.schema} « {self.phrase} » ×{self.count}"


class LearnedProduct(models.Model):
    """A product validators confirmed or corrected on a document: its brand, and its reference
    when the document's brands and references pair up. Active rows join the brand lexicon (a brand
    it did not know is read on the next documents) and put a reference a scan misread (« NTHO1 »)
    back in the spelling validated (« NTH01 »)."""

    brand = models.CharField("marque", max_length=60)
    reference = models.CharField("référence", max_length=120, blank=True)
    count = models.PositiveIntegerField("validations", default=1)
    is_active = models.BooleanField("actif", default=True,
                                    help_text="Décocher pour que l'extraction n'utilise plus ce produit.")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "produit appris"
        verbose_name_plural = "produits appris"
        ordering = ["brand", "reference"]
        constraints = [models.UniqueConstraint(fields=["brand", "reference"], name="learned_product_unique")]

    def __str__(self) -> str:
        return f"{self.brand} {self.reference} ×{self.count}".replace("  ", " ")


class LearnedRejection(models.Model):
    """An item validators removed from a list of products the extractor read (a store's service
    code « SRV-EVAC » taken for a brand, « Dépose » for a reference). While active, and removed
    more often than validated as a product, it is left out of the lists read afterwards, or read
    as the validated item it held (« MITSUBISHI ELECTRIC Ecodan » → « Mitsubishi Electric »)."""

    class Lexicon(models.TextChoices):
        BRAND = "marque", "marque"
        REFERENCE = "reference", "référence"

    lexicon = models.CharField("liste", max_length=20, choices=Lexicon.choices)
    text = models.CharField("élément écarté", max_length=120)
    replacement = models.CharField("remplacé par", max_length=120, blank=True,
                                   help_text="L'élément validé que le texte écarté contenait (« Watts » pour « Watts BA 2760 »), "
                                             "lu à sa place ; vide : l'élément est seulement retiré.")
    count = models.PositiveIntegerField("retraits", default=1)
    is_active = models.BooleanField("actif", default=True,
                                    help_text="Décocher pour que l'extraction garde de nouveau cet élément.")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "élément écarté des listes de produits"
        verbose_name_plural = "éléments écartés des listes de produits"
        ordering = ["lexicon", "-count", "text"]
        constraints = [models.UniqueConstraint(fields=["lexicon", "text"], name="learned_rejection_unique")]

    def __str__(self) -> str:
        return f"{self.get_lexicon_display()} « {self.text} » ×{self.count}"


class LearnedIssuerValue(models.Model):
    """What validators confirmed an installer prints beside its SIRET, on any document of any
    type: its name, its RGE number. The next document whose SIRET is that one reads a name or a
    number a scan garbled (« 150' Ouest ») as the validated one, and finds one it missed."""

    class Kind(models.TextChoices):
        NAME = "name", "raison sociale"
        RGE = "rge", "n° RGE"

    siret = models.CharField("SIRET", max_length=14, db_index=True)
    kind = models.CharField("donnée", max_length=10, choices=Kind.choices)
    value = models.CharField("valeur validée", max_length=200)
    count = models.PositiveIntegerField("documents", default=1)
    is_active = models.BooleanField("actif", default=True,
                                    help_text="Décocher pour que l'extraction n'utilise plus cette valeur.")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "donnée d'installateur apprise"
        verbose_name_plural = "données d'installateurs apprises"
        ordering = ["siret", "kind", "-count"]
        constraints = [models.UniqueConstraint(fields=["siret", "kind", "value"], name="learned_issuer_value_unique")]

    def __str__(self) -> str:
        return f"{self.siret} {self.get_kind_display()} « {self.value} » ×{self.count}"


class PhrasePatternManager(models.Manager):
    def get_by_natural_key(self, document_type_code, field_name, pattern):
        return self.get(schema__document_type__code=document_type_code, schema__name=field_name, pattern=pattern)


class PhrasePattern(models.Model):
    """A sentence that carries a field's value, written with ``{valeur}`` where the value
    stands: « le montant de la prime s'élève à {valeur} », « la prime accordée par {valeur} a été
    déduite ». Read by the extractor beside the field's label hints (``extractors.phrases``)."""

    schema = models.ForeignKey(FieldSchema, on_delete=models.CASCADE, related_name="phrase_patterns", verbose_name="champ")
    pattern = models.CharField("phrase", max_length=200,
                               help_text="La phrase telle qu'on la lit, avec {valeur} à la place de la valeur.")
    weight = models.FloatField("poids", default=0.9,
                               help_text="Confiance dans la phrase, entre 0 et 1 (un libellé exact vaut 1).")
    is_active = models.BooleanField("actif", default=True)
    notes = models.TextField("remarques", blank=True)

    objects = PhrasePatternManager()

    class Meta:
        verbose_name = "phrase type"
        verbose_name_plural = "phrases types"
        ordering = ["schema", "pattern"]
        constraints = [
            models.UniqueConstraint(fields=["schema", "pattern"], name="phrase_pattern_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0) & Q(weight__lte=1), name="phrase_pattern_weight_between_0_and_1"),
            models.CheckConstraint(condition=Q(pattern__contains="{valeur}"), name="phrase_pattern_has_value"),
        ]

    def __str__(self) -> str:
        return f"{self.schema} « {self.pattern} »"

    def natural_key(self):
        return (*self.schema.natural_key(), self.pattern)

    natural_key.dependencies = ["extraction.fieldschema"]


class ProductFamily(models.TextChoices):
    INSULATION = "isolation", "Isolation"
    HEAT_PUMP = "pompe_a_chaleur", "Pompe à chaleur"
    BOILER = "chaudiere", "Chaudière"
    WATER_HEATER = "chauffe_eau", "Chauffe-eau"
    WOOD = "bois", "Chauffage au bois"
    WINDOW = "menuiserie", "Fenêtres et menuiseries"
    SOLAR = "solaire", "Solaire"
    VENTILATION = "ventilation", "Ventilation"
    REGULATION = "regulation", "Régulation"


class ProductBrandManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class ProductBrand(models.Model):
    """A manufacturer of CEE products, found by name inside item designations (« Isolant ISOVER
    GR 32 Revêtu Kraft ») to read the marque and the reference that follows it."""

    name = models.CharField("marque", max_length=60, unique=True)
    family = models.CharField("famille de produits", max_length=30, choices=ProductFamily.choices)
    aliases = models.JSONField("autres graphies", default=list, blank=True,
                               help_text='Autres façons de l\'écrire, par exemple ["Knauf", "KNAUF INSULATION"].')
    is_active = models.BooleanField("actif", default=True)

    objects = ProductBrandManager()

    class Meta:
        verbose_name = "marque de produit"
        verbose_name_plural = "marques de produits"
        ordering = ["family", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self):
        return (self.name,)
