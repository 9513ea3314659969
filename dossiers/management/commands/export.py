"""``python manage.py export dossiers --format xlsx --out FILE [--status approved --since 2026-01-01]``

The scheduled-job side of the admin's "Exporter CSV / Excel": same column sets, same writers.
"""
from __future__ import annotations

import datetime
import sys

from django.core.management import BaseCommand, CommandError

from dossiers.backoffice.exports import CSV_STYLES, EXPORTS, FORMATS, export_to_file, get_export


def parse_date(value: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise CommandError(f"Date invalide : {value!r} (attendu AAAA-MM-JJ ou JJ/MM/AAAA).")


class Command(BaseCommand):
    help = "Exporte une liste (dossiers, documents, factures…) en CSV ou Excel, avec des filtres."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=sorted(EXPORTS), help="ce qui est exporté")
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--out", required=True, help="fichier à écrire")
        parser.add_argument("--status", action="append", default=[], help="statut (répétable)")
        parser.add_argument("--since", type=parse_date, help="à partir de cette date (incluse)")
        parser.add_argument("--until", type=parse_date, help="jusqu'à cette date (incluse)")
        parser.add_argument("--installer", help="SIRET de l'installateur")
        parser.add_argument("--csv-style", choices=CSV_STYLES, default="excel-fr",
                            help="excel-fr : ';', BOM, virgule décimale, JJ/MM/AAAA ; iso : ',', point, AAAA-MM-JJ")

    def handle(self, *args, **options):
        export = get_export(options["name"])
        queryset = export.model._default_manager.all()
        if options["status"]:
            if "status" not in {f.name for f in export.model._meta.get_fields()}:
                raise CommandError(f"L'export {export.name} n'a pas de statut à filtrer.")
            queryset = queryset.filter(status__in=options["status"])
        date_lookup = export.date_field
        field = export.model._meta.get_field(date_lookup) if date_lookup else None
        if field is not None and field.get_internal_type() == "DateTimeField":
            date_lookup = f"{date_lookup}__date"
        if options["since"]:
            queryset = queryset.filter(**{f"{date_lookup}__gte": options["since"]})
        if options["until"]:
            queryset = queryset.filter(**{f"{date_lookup}__lte": options["until"]})
        if options["installer"]:
            queryset = queryset.filter(**{f"{export.installer_path}__siret": "".join(options["installer"].split())})
        count = export_to_file(export, queryset, options["out"], options["format"], csv_style=options["csv_style"])
        self.stdout.write(f"{count} ligne(s) écrite(s) dans {options['out']}")
        sys.stdout.flush()
