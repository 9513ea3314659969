"""kWh cumac, bonus coefficient, price and premium of one operation.

    python manage.py cumac --operation BAR-TH-171 --postal-code 69003 --housing maison \\
        --surface 100 --etas 130 [--precarity modeste] [--date 2026-03-01] [--resistance R] \\
        [--class-jumps N] [--installer SIRET] [--condition remplacement_charbon] --json

With --json it prints exactly one object:
    {"operation": "BAR-TH-171", "zone": "H1", "kwh_cumac": 109080.00, "coefficient": 5,
     "price_eur_per_mwh": 7.800, "premium_eur": 4254.12}
Numbers are JSON numbers written with their exact decimal digits (parse them with a decimal
type to keep them exact); price and premium are null when no price list applies.
"""
from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation

from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Installer
from billing.pricing import with_premium
from dossiers.models import Operation
from rules.cumac import CumacError, compute, version_in_force


def _decimal(value: str | None, option: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value.replace(",", "."))
    except InvalidOperation as exc:
        raise CommandError(f"{option} : nombre attendu, reçu « {value} »") from exc


def _json_value(value) -> str:
    if isinstance(value, Decimal):
        return format(value, "f")
    return json.dumps(value, ensure_ascii=False)


class Command(BaseCommand):
    help = "Calcule les kWh cumac, le coefficient de bonification, le prix et la prime d'une opération."

    def add_arguments(self, parser):
        parser.add_argument("--operation", required=True, help="Code de la fiche, ex. BAR-TH-171.")
        parser.add_argument("--postal-code", required=True, help="Code postal des travaux.")
        parser.add_argument("--housing", default="maison", choices=["maison", "appartement"])
        parser.add_argument("--surface", help="Surface (m²) : habitable pour une PAC, isolée pour l'isolation.")
        parser.add_argument("--etas", help="Efficacité énergétique saisonnière (%).")
        parser.add_argument("--resistance", help="Résistance thermique R (m².K/W).")
        parser.add_argument("--class-jumps", help="Sauts de classe (rénovation d'ampleur).")
        parser.add_argument("--precarity", default="none", choices=["none", "modeste", "tres_modeste"])
        parser.add_argument("--date", help="Date d'engagement AAAA-MM-JJ (défaut : aujourd'hui).")
        parser.add_argument("--installer", help="SIRET de l'installateur (prix de son contrat).")
        parser.add_argument("--condition", action="append", default=[],
                            help="Condition de bonification déclarée (ex. remplacement_charbon), répétable.")
        parser.add_argument("--json", action="store_true", help="Sortie JSON sur une ligne.")

    def handle(self, *args, **options):
        try:
            day = datetime.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(f"--date : date AAAA-MM-JJ attendue, reçu « {options['date']} »") from exc
        installer = None
        if options["installer"]:
            installer = Installer.objects.filter(siret=options["installer"]).first()
            if installer is None:
                raise CommandError(f"Aucun installateur de SIRET {options['installer']}.")
        day = day or timezone.localdate()
        operation = version_in_force(Operation.objects.filter(code=options["operation"]), day)
        if operation is None:
            raise CommandError(f"fiche inconnue « {options['operation']} »")
        try:
            result = compute(
                operation, postal_code=options["postal_code"], housing_type=options["housing"],
                surface=_decimal(options["surface"], "--surface"), etas=_decimal(options["etas"], "--etas"),
                resistance=_decimal(options["resistance"], "--resistance"),
                class_jumps=_decimal(options["class_jumps"], "--class-jumps"), precarity=options["precarity"],
                date=day, conditions={name: True for name in options["condition"]},
            )
            result = with_premium(result, installer=installer, day=day, precarity=options["precarity"])
        except CumacError as exc:
            raise CommandError(str(exc)) from exc
        payload = {
            "operation": result.operation_code, "zone": result.zone, "kwh_cumac": result.kwh_cumac,
            "coefficient": result.coefficient, "price_eur_per_mwh": result.price_eur_per_mwh,
            "premium_eur": result.premium_eur,
        }
        if options["json"]:
            self.stdout.write("{" + ", ".join(f"{json.dumps(key)}: {_json_value(value)}" for key, value in payload.items()) + "}")
            return
        self.stdout.write(f"Fiche : {result.operation_code} ({result.operation_version}) — zone {result.zone or '?'}")
        if not result.eligible:
            self.stdout.write("Non éligible : " + " ; ".join(result.details.get("reasons", [])))
        self.stdout.write(f"kWh cumac : {result.kwh_cumac}")
        self.stdout.write(f"Coefficient : {result.coefficient}" + (f" ({result.details['bonus']})" if result.details.get("bonus") else ""))
        self.stdout.write(f"Prix : {result.price_eur_per_mwh if result.price_eur_per_mwh is not None else '—'} €/MWhc")
        self.stdout.write(f"Prime : {result.premium_eur if result.premium_eur is not None else '—'} €")
        for note in result.details.get("notes", []):
            self.stdout.write(f"Note : {note}")
