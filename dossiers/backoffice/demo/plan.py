"""The plan of one demo dossier: its facts drawn once, and every row derived from them.

Seeded documents have **no stored file**: they are created ``processed`` with the flag
``DEMO_DOCUMENT_FLAG`` so that no pipeline step ever picks them up, and their extracted
fields are written directly, consistent with the dossier's facts.
"""
from __future__ import annotations

import datetime
import functools
import hashlib
import json
import random
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.models import Installer
from billing.models import Invoice, InvoiceLine, Payment
from documents.models import DocumentStatus, DocumentType
from extraction.models import ExtractionMethod, FieldSchema, FieldStatus

from ...models import Dossier, DossierStatus as S
from ..bulk_load import COPY_NULL, copy_text, copy_time
from .facts import (
    CENT,
    CITIES,
    CONFIDENCES,
    DECIDED,
    FIRST_NAMES,
    HEAT_PUMPS,
    INSULATED_SURFACES,
    LAST_NAMES,
    LIVING_AREAS,
    OBLIGES,
    PRODUCTS,
    PROCESSED,
    STATUS_PATHS,
    STREETS,
    slug,
)

if TYPE_CHECKING:
    from .seeder import DossierSeeder

DEMO_DOCUMENT_FLAG = "demo_sans_fichier"

TIMELINE_COLUMNS = ["dossier", "date_devis", "date_signature", "date_debut_travaux", "date_fin_travaux", "date_facture"]
OPERATION_COLUMNS = [
    "id", "dossier", "operation", "status", "parameters", "kwh_cumac", "coefficient", "premium_eur", "confidence",
    "detected_from",
]
DOCUMENT_COLUMNS = [
    "id", "dossier", "document_type", "declared_type", "file", "original_filename", "mime_type", "size", "sha256",
    "page_count", "status", "classification_confidence", "flags", "uploaded_by", "uploaded_at", "processed_at",
]
FIELD_COLUMNS = [
    "document", "dossier", "schema", "value", "raw_text", "confidence", "status", "original_value",
    "corrected_value", "page", "bbox", "method", "engine", "confirmed_by", "confirmed_at", "corrected_by",
    "corrected_at", "created_at", "updated_at",
]
ACTIVITY_COLUMNS = [
    "actor", "verb", "dossier", "content_type", "object_id", "description", "metadata", "ip_address",
    "user_agent", "created_at",
]


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _french_amount(value: Decimal) -> str:
    whole, _, cents = f"{value:.2f}".partition(".")
    groups = f"{int(whole):,}".replace(",", "\u202f")
    return f"{groups},{cents} €"


class DossierPlan:
    """The facts of one demo dossier, from which every row is derived consistently."""

    def __init__(self, seeder: DossierSeeder, status: str, installer: Installer):
        rng = self.rng = seeder.rng
        self.seeder = seeder
        self.status = status
        self.installer = installer
        self.creator = seeder.accounts.installer_users.get(installer.pk)
        self.validator = rng.choice(seeder.accounts.validators) if status in {S.IN_REVIEW} | DECIDED else None

        civility, first_name = rng.choice(FIRST_NAMES)
        last_name = rng.choice(LAST_NAMES)
        self.beneficiary = f"{civility} {first_name} {last_name}"
        self.postal_code, self.city = rng.choice(CITIES)
        self.address = f"{rng.randint(1, 240)} {rng.choice(STREETS)}"
        self.housing = "maison" if rng.random() < 0.78 else "appartement"
        self.living_area = rng.choice(LIVING_AREAS[self.housing])
        self.precarity = rng.choices(["none", "modeste", "tres_modeste"], weights=[50, 25, 25])[0]

        # Dates: engagement (devis signed), works, invoice, submission — in that order, in the past.
        today = seeder.today
        latest_invoice = today - datetime.timedelta(days=5)
        self.date_signature = today - datetime.timedelta(days=rng.randint(40, 700))
        self.date_devis = self.date_signature - datetime.timedelta(days=rng.randint(0, 12))
        self.date_cadre = self.date_devis - datetime.timedelta(days=rng.randint(0, 5))
        self.date_debut = self.date_signature + datetime.timedelta(days=rng.randint(8, 35))
        self.date_fin = self.date_debut + datetime.timedelta(days=rng.randint(0, 4))
        self.date_facture = min(self.date_fin + datetime.timedelta(days=rng.randint(0, 3)), latest_invoice)
        self.date_fin = min(self.date_fin, self.date_facture)
        self.date_debut = min(self.date_debut, self.date_fin)
        created_day = min(self.date_facture + datetime.timedelta(days=rng.randint(1, 20)), today)
        self.created_at = min(
            _aware(created_day, rng.randint(8, 18), rng.randint(0, 59)),
            seeder.now - datetime.timedelta(hours=2, minutes=rng.randint(0, 600)),
        )
        self.transition_times = self._transition_times()
        self.processed_at = self.transition_times[2] if len(self.transition_times) > 2 else None

        self.codes = self._pick_codes()
        self._operation_facts = [self._operation_facts_for(code) for code in self.codes]
        self.kwh_total = sum((f["kwh"] * f["coefficient"]).quantize(CENT, rounding=ROUND_HALF_UP)
                             for f in self._operation_facts)
        self.premium_total = sum(f["premium"] for f in self._operation_facts)
        self.works_ht = _money(sum(f["works_ht"] for f in self._operation_facts))
        self.works_tva = _money(self.works_ht * Decimal("0.055"))
        self.number = rng.randint(1000, 99999)
        self.missing = ["attestation_honneur"] if status == S.AWAITING_DOCUMENTS else []
        self._field_values: dict | None = None
        types = seeder.document_types
        self.document_kinds = [types[code] for code in self._document_codes() if code in types]
        self.document_rows: list[tuple[int, DocumentType]] = []  # (id, type), ids drawn per batch
        self.dossier = self._dossier()

    # -- facts --

    def _pick_codes(self) -> list[str]:
        rng, seeder = self.rng, self.seeder
        codes = [rng.choices(seeder.codes, weights=seeder.weights)[0]]
        if rng.random() < 0.2:
            second = rng.choices(seeder.codes, weights=seeder.weights)[0]
            # A thermodynamic water heater is not combined with a heat pump (CEE-DOMAIN rule 14).
            incompatible = {"BAR-TH-148"} & set(codes + [second]) and HEAT_PUMPS & set(codes + [second])
            if second not in codes and not incompatible:
                codes.append(second)
        return codes

    def _operation_facts_for(self, code: str) -> dict:
        rng = self.rng
        operation = self.seeder.operations[code]
        params = operation.cumac_parameters
        inputs: dict = {}
        for name in params.get("inputs") or []:
            if name == "surface_m2":
                inputs[name] = self.living_area if operation.category == "TH" else rng.choice(INSULATED_SURFACES)
            elif name == "etas":
                inputs[name] = _etas_for(params, rng)
            elif name == "class_jumps":
                inputs[name] = rng.choice([2, 2, 3, 3, 4])
        for threshold in params.get("thresholds") or []:
            if threshold["input"] == "resistance_thermique":
                inputs["resistance_thermique"] = float(Decimal(str(threshold["min"])) + Decimal(rng.choice(["0", "0.3", "0.5", "1"])))
        zone_code = self.postal_code
        kwh, coefficient, price_list, price, premium = self.seeder.cumac(
            operation, zone_code, self.housing, inputs, self.precarity, self.date_signature
        )
        family = "PAC" if code in HEAT_PUMPS else ("EN" if operation.category == "EN" else "TH")
        brand, reference = rng.choice(PRODUCTS[family])
        surface = inputs.get("surface_m2")
        works_ht = (Decimal(surface) * Decimal(rng.randint(22, 48))) if operation.category == "EN" and surface else Decimal(
            rng.randrange(2500, 16000, 50)
        )
        return dict(operation=operation, inputs=inputs, kwh=kwh, coefficient=coefficient, price_list=price_list,
                    price=price, premium=premium, brand=brand, product=reference, works_ht=works_ht)

    def _transition_times(self) -> list[datetime.datetime]:
        """When each move of the status path happened, in order, never in the future."""
        rng, now = self.rng, self.seeder.now
        at = self.created_at
        times = []
        gaps = {  # minutes after the previous move
            S.SUBMITTED: (30, 60 * 24 * 3), S.PROCESSING: (1, 3), S.AWAITING_DOCUMENTS: (2, 8),
            S.READY_FOR_REVIEW: (2, 8), S.IN_REVIEW: (60, 60 * 24 * 6), S.APPROVED: (30, 60 * 24 * 2),
            S.REJECTED: (30, 60 * 24 * 2), S.INVOICED: (60 * 24, 60 * 24 * 10), S.PAID: (60 * 24 * 10, 60 * 24 * 40),
        }
        for _source, target, _actor in STATUS_PATHS[self.status]:
            low, high = gaps[target]
            at = at + datetime.timedelta(minutes=rng.randint(low, high))
            times.append(at)
        if times and times[-1] > now:
            # Squeeze the whole path into the time left before now, keeping the order.
            span = (now - self.created_at) * 0.95
            total = times[-1] - self.created_at
            times = [self.created_at + (t - self.created_at) * (span / total) for t in times]
        return times

    def _time_of(self, target: str):
        for (_s, t, _a), at in zip(STATUS_PATHS[self.status], self.transition_times):
            if t == target:
                return at
        return None

    def _dossier(self) -> Dossier:
        rng, status = self.rng, self.status
        processed = status in PROCESSED and status != S.AWAITING_DOCUMENTS
        decided_at = next((self._time_of(s) for s in (S.APPROVED, S.REJECTED) if self._time_of(s)), None)
        submitted_at = self._time_of(S.SUBMITTED)
        reason = rng.choice(self.seeder.reasons) if status == S.REJECTED else ""
        failed = rng.randint(1, 4) if status == S.REJECTED else (rng.choice([0, 0, 0, 1]) if processed else 0)
        return Dossier(
            installer=self.installer, beneficiary_name=self.beneficiary, beneficiary_address=self.address,
            beneficiary_postal_code=self.postal_code, beneficiary_city=self.city,
            beneficiary_email=f"{slug(self.beneficiary.split(' ', 1)[1])}{rng.randint(1, 99)}@exemple.fr",
            beneficiary_phone=f"06 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            works_address=self.address, works_postal_code=self.postal_code, works_city=self.city,
            housing_type=self.housing, living_area_m2=Decimal(self.living_area), precarity_status=self.precarity,
            status=status, priority=min(100, rng.randint(20, 80) + (15 if self.precarity != "none" else 0)),
            assigned_to=self.validator, total_kwh_cumac=self.kwh_total if processed else Decimal("0"),
            premium_eur=self.premium_total if processed else Decimal("0"), failed_rule_count=failed,
            has_fraud_signal=status == S.REJECTED and rng.random() < 0.1,
            fraud_signals=(["facture_en_double"] if status == S.REJECTED and rng.random() < 0.1 else []),
            missing_documents=self.missing, decision_reason=reason, submitted_at=submitted_at,
            submitted_by=self.creator if submitted_at else None, validated_at=decided_at,
            validated_by=self.validator if decided_at else None,
            processing_seconds=int((decided_at - submitted_at).total_seconds()) if decided_at else None,
            created_by=self.creator, created_at=self.created_at,
            updated_at=self.transition_times[-1] if self.transition_times else self.created_at,
        )

    # -- rows --

    def timeline(self) -> tuple:
        started = self.status != S.DRAFT or self.rng.random() < 0.5
        return (
            self.dossier.pk, self.date_devis, self.date_signature, self.date_debut if started else None,
            self.date_fin if started else None, self.date_facture if started else None,
        )

    def operations(self, ids) -> list[tuple]:
        """Rows of TIMELINE_COLUMNS… of OPERATION_COLUMNS, one per operation; ``ids`` yields their primary keys."""
        status = {
            S.DRAFT: "declared", S.SUBMITTED: "declared", S.PROCESSING: "declared", S.REJECTED: "invalid",
            S.APPROVED: "valid", S.INVOICED: "valid", S.PAID: "valid",
        }.get(self.status, "detected")
        processed = self.status in PROCESSED
        rows = []
        for facts in self._operation_facts:
            facts["id"] = next(ids)
            rows.append((
                facts["id"], self.dossier.pk, facts["operation"].pk, status, dict(facts["inputs"]),
                facts["kwh"] if processed else Decimal("0"), facts["coefficient"],
                facts["premium"] if processed else Decimal("0"),
                self.rng.choice(CONFIDENCES[800:990]) if processed else None,
                ["attestation_honneur", "facture"] if processed else [],
            ))
        return rows

    def documents(self) -> list[tuple]:
        """Rows of DOCUMENT_COLUMNS (ids were drawn into ``document_rows``)."""
        uploaded = self.created_at
        rows = []
        for position, (document_id, kind) in enumerate(self.document_rows):
            digest = hashlib.sha256(f"{self.dossier.reference}/{kind.code}/{position}".encode()).hexdigest()
            rows.append((
                document_id, self.dossier.pk, kind.pk, kind.pk, "",
                f"{kind.code.replace('_', '-')}-{self.dossier.reference}.pdf", "application/pdf",
                self.rng.randint(60_000, 900_000), digest, self.rng.randint(1, 3), DocumentStatus.PROCESSED.value,
                self.rng.choice(CONFIDENCES[820:990]), [DEMO_DOCUMENT_FLAG], self.creator.pk if self.creator else None,
                uploaded, self.processed_at or uploaded,
            ))
        return rows

    def _document_codes(self) -> list[str]:
        if self.status == S.DRAFT:
            return ["devis"] if self.rng.random() < 0.6 else []
        codes = ["cadre_contribution", "devis", "facture", "attestation_honneur", "certificat_rge"]
        if self.precarity != "none":
            codes.append("avis_imposition")
        if set(self.codes) & HEAT_PUMPS:
            codes.append("note_dimensionnement")
        if self.rng.random() < 0.3:
            codes.append("photo")
        return [c for c in codes if c not in self.missing]

    def field_review(self):
        """(status, confirmed_by, confirmed_at) of an extracted field of this dossier."""
        rng = self.rng
        if self.status in (S.APPROVED, S.INVOICED, S.PAID):
            return FieldStatus.CONFIRMED, self.validator, self.dossier.validated_at
        if self.status == S.REJECTED:
            status = rng.choices([FieldStatus.CONFIRMED, FieldStatus.WRONG, FieldStatus.UNREVIEWED], weights=[70, 10, 20])[0]
        elif self.status == S.IN_REVIEW:
            status = rng.choices([FieldStatus.CONFIRMED, FieldStatus.UNREVIEWED], weights=[40, 60])[0]
        else:
            return FieldStatus.UNREVIEWED, None, None
        if status == FieldStatus.CONFIRMED:
            return status, self.validator, self._time_of(S.IN_REVIEW)
        return status, None, None

    def fact(self, document_code: str, schema: FieldSchema) -> str | None:
        """The normalised value of ``schema`` on this dossier's ``document_code`` document (None: not on it)."""
        if self._field_values is None:
            self._field_values = self._values_by_field_name()
        if schema.name in self._field_values:
            return self._field_values[schema.name]
        return _fallback_value(schema.data_type, self)

    def _values_by_field_name(self) -> dict[str, str | None]:
        main = self._operation_facts[0]
        inputs = main["inputs"]
        installer = self.installer
        year = self.date_signature.year
        ops = json.dumps(self.codes)
        return {
            "numero_devis": f"DEV-{year}-{self.number:05d}", "date_devis": self.date_devis.isoformat(),
            "date_signature": self.date_signature.isoformat(), "date_engagement": self.date_signature.isoformat(),
            "siret_installateur": installer.siret, "siret": installer.siret,
            "raison_sociale_installateur": installer.name, "raison_sociale": installer.name,
            "beneficiaire_nom": self.beneficiary, "declarant_nom": self.beneficiary,
            "beneficiaire_adresse": self.address, "adresse": f"{self.address} {self.postal_code} {self.city}",
            "beneficiaire_code_postal": self.postal_code, "beneficiaire_ville": self.city,
            "montant_ht": f"{self.works_ht:.2f}", "montant_tva": f"{self.works_tva:.2f}",
            "montant_ttc": f"{self.works_ht + self.works_tva:.2f}", "operations": ops,
            "surface_m2": _plain(inputs.get("surface_m2")), "resistance_thermique": _plain(inputs.get("resistance_thermique")),
            "etas": _plain(inputs.get("etas")), "cop": "4.2" if self.codes[0] in HEAT_PUMPS else None,
            "marque": main["brand"], "reference_produit": main["product"],
            "numero_facture": f"FA-{self.date_facture.year}-{self.number:05d}", "reference_facture": f"FA-{self.date_facture.year}-{self.number:05d}",
            "date_facture": self.date_facture.isoformat(), "date_fin_travaux": self.date_fin.isoformat(),
            "date_achevement": self.date_fin.isoformat(), "rge_numero": installer.rge_number or None,
            "prime_cee": f"{self.premium_total:.2f}", "montant_prime": f"{self.premium_total:.2f}",
            "signature_beneficiaire": "true", "signature_installateur": "true",
            "date_cadre": self.date_cadre.isoformat(), "nom_oblige": OBLIGES[self.number % len(OBLIGES)],
            "date_debut_validite": installer.rge_valid_from.isoformat() if installer.rge_valid_from else None,
            "date_fin_validite": installer.rge_valid_until.isoformat() if installer.rge_valid_until else None,
            "domaines": ", ".join(installer.qualifications or []) or None,
            "annee_revenus": str(year - 1), "revenu_fiscal_reference": str(self._income()),
            "nombre_parts": f"{self.rng.choice(['1.0', '1.5', '2.0', '2.5', '3.0'])}",
        }

    def _income(self) -> int:
        return {"tres_modeste": self.rng.randint(11000, 17000), "modeste": self.rng.randint(17500, 22000)}.get(
            self.precarity, self.rng.randint(28000, 60000)
        )

    def invoice(self, number: str, year: int, sequence: int) -> Invoice:
        lines = []
        for position, facts in enumerate(self._operation_facts, start=1):
            weighted = (facts["kwh"] * facts["coefficient"]).quantize(CENT, rounding=ROUND_HALF_UP)
            price = facts["price"] or Decimal("0")
            share = facts["price_list"].share_on_validation_percent if facts["price_list"] else Decimal("70")
            lines.append(InvoiceLine(
                position=position, dossier_operation_id=facts["id"], operation_code=facts["operation"].code,
                label=f"{facts['operation'].code} — {facts['operation'].name}", base_kwh_cumac=facts["kwh"],
                coefficient=facts["coefficient"], kwh_cumac=weighted, price_list=facts["price_list"], unit_price=price,
                share_on_validation_percent=share, amount_eur=(weighted / 1000 * price).quantize(CENT, rounding=ROUND_HALF_UP),
            ))
        total = sum((line.amount_eur for line in lines), Decimal("0"))
        on_validation = sum((line.amount_eur * line.share_on_validation_percent / 100 for line in lines), Decimal("0"))
        on_validation = on_validation.quantize(CENT, rounding=ROUND_HALF_UP)
        kwh = sum((line.kwh_cumac for line in lines), Decimal("0"))
        self.invoice_row = Invoice(
            number=number, year=year, sequence=sequence, dossier=self.dossier, installer=self.installer,
            kwh_cumac=kwh, unit_price=lines[0].unit_price if lines else Decimal("0"), total_eur=total,
            amount_on_validation=on_validation, amount_on_registration=total - on_validation,
            amount_paid=total if self.status == S.PAID else Decimal("0"), issue_date=self.invoice_date,
            due_date=self.invoice_date + datetime.timedelta(days=30),
            status=Invoice.Status.PAID if self.status == S.PAID else Invoice.Status.ISSUED,
        )
        self._invoice_lines = lines
        return self.invoice_row

    @property
    def invoice_date(self) -> datetime.date:
        return timezone.localtime(self._time_of(S.INVOICED)).date()

    def invoice_lines(self) -> list[InvoiceLine]:
        for line in self._invoice_lines:
            line.invoice = self.invoice_row
        return self._invoice_lines

    def payment(self) -> Payment:
        paid_on = timezone.localtime(self._time_of(S.PAID)).date()
        return Payment(invoice=self.invoice_row, amount=self.invoice_row.total_eur, date=max(paid_on, self.invoice_date),
                       method=Payment.Method.TRANSFER, reference=f"VIR-{self.invoice_row.number}")


# --- helpers --------------------------------------------------------------------------------

def field_row(plan: DossierPlan, spec: tuple) -> tuple:
    document_id, schema, value, confidence, status, confirmed_by, confirmed_at = spec
    created = plan.processed_at
    return (
        document_id, plan.dossier.id, schema.id, value, _raw_text(schema.data_type, value), confidence, status,
        value if status != _UNREVIEWED else "", "", 1, _BBOXES[schema.display_order % 20][document_id % 4],
        _TEXT_LAYER, "demo", confirmed_by.id if confirmed_by else None, confirmed_at, None, None,
        created, confirmed_at or created,
    )


_UNREVIEWED = FieldStatus.UNREVIEWED.value
_TEXT_LAYER = ExtractionMethod.TEXT_LAYER.value


def field_copy_line(row: tuple) -> str:
    """A row of FIELD_COLUMNS as a COPY text line."""
    (document, dossier, schema, value, raw_text, confidence, status, original, corrected, page, bbox, method, engine,
     confirmed_by, confirmed_at, corrected_by, corrected_at, created_at, updated_at) = row
    texts = f"{value}{raw_text}{original}{corrected}{bbox}{engine}"
    if value is None or raw_text is None or "\\" in texts or "\t" in texts or "\n" in texts or "\r" in texts:  # rare: escape them
        value, raw_text, original, corrected, bbox, engine = map(copy_text, (value, raw_text, original, corrected, bbox, engine))
    return (
        f"{document}\t{dossier}\t{schema}\t{value}\t{raw_text}\t{confidence}\t{status!s}\t{original}\t{corrected}\t"
        f"{COPY_NULL if page is None else page}\t{bbox}\t{method!s}\t{engine}\t{COPY_NULL if confirmed_by is None else confirmed_by}\t"
        f"{copy_time(confirmed_at)}\t{COPY_NULL if corrected_by is None else corrected_by}\t{copy_time(corrected_at)}\t"
        f"{copy_time(created_at)}\t{copy_time(updated_at)}"
    )


def _etas_for(params: dict, rng: random.Random) -> int:
    brackets = ((params.get("classes") or {}).get("etas_class") or {}).get("brackets")
    if brackets:
        bracket = rng.choice(brackets)
        low = int(bracket["min"])
        high = int(bracket.get("max", low + 25)) - 1
        return min(high, low + rng.choice([0, 4, 9, 15]))
    minimum = next((t["min"] for t in params.get("thresholds") or [] if t["input"] == "etas"), 100)
    return int(minimum) + rng.choice([0, 6, 14])


def _plain(value) -> str | None:
    if value is None:
        return None
    return format(Decimal(str(value)).normalize(), "f")


def _fallback_value(data_type: str, plan: DossierPlan) -> str | None:
    return {
        "date": plan.date_signature.isoformat(), "siret": plan.installer.siret, "postal_code": plan.postal_code,
        "cee_code": json.dumps(plan.codes), "boolean": "true", "integer": "1", "decimal": "1.00",
    }.get(data_type)


@functools.lru_cache(maxsize=50_000)
def _raw_text(data_type: str, value: str) -> str:
    """The value as it is printed on a French document."""
    try:
        if data_type == "date":
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        if data_type == "decimal" and "." in value and len(value.split(".")[1]) == 2:
            return _french_amount(Decimal(value))
        if data_type == "siret":
            return f"{value[:3]} {value[3:6]} {value[6:9]} {value[9:]}"
        if data_type == "cee_code":
            return ", ".join(json.loads(value))
        if data_type == "boolean":
            return "Signé" if value == "true" else ""
    except (ValueError, TypeError):
        pass
    return value


def _make_bbox(order: int, variant: int) -> str:
    top = round(min(0.9, 0.08 + 0.04 * order + 0.003 * variant), 3)
    left = 0.08 if variant % 2 == 0 else 0.52
    return json.dumps([left, top, round(left + 0.18 + 0.05 * variant, 3), round(top + 0.018, 3)])


# Where a field sits on its page (relative box), as JSON: a few layouts per display position.
_BBOXES = [[_make_bbox(order, variant) for variant in range(4)] for order in range(20)]


def _aware(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
