"""Load the reference fixtures in dependency order (idempotent: rows are matched by natural key)."""
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand, call_command

# Order matters: later files refer to rows of earlier ones by natural key.
REFERENCE_FIXTURES = [
    "document_types.json",
    "operations.json",
    "operation_requirements.json",
    "field_schemas.json",
    "climate_zones.json",
    "precarity_ceilings.json",
    "rejection_reasons.json",
    "engine_configs.json",
    "price_lists.json",
    "rules.json",
]


class Command(BaseCommand):
    help = "Charge les données de référence (fiches, types de documents, schémas de champs, règles, prix…)."

    def handle(self, *args, **options):
        folder = Path(settings.BASE_DIR) / "fixtures"
        present = [folder / name for name in REFERENCE_FIXTURES if (folder / name).exists()]
        missing = [name for name in REFERENCE_FIXTURES if not (folder / name).exists()]
        if missing and options["verbosity"] > 1:
            self.stdout.write(f"Fichiers absents ignorés : {', '.join(missing)}")
        for path in present:
            call_command("loaddata", str(path), verbosity=options["verbosity"])
