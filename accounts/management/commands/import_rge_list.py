"""manage.py import_rge_list FILE.csv — the installers' RGE data from the public RGE list."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.rge_list import RgeImportReport, RgeListError, import_rge_list, read_rge_list


class Command(BaseCommand):
    help = (
        "Met à jour les données RGE des installateurs depuis l'export CSV de la « Liste des entreprises RGE » "
        "(ADEME, data.ademe.fr), rapprochées par SIRET. Colonnes lues : siret, code_qualification, "
        "nom_qualification, domaine, organisme, lien_date_debut et lien_date_fin (ou date_debut, date_fin) ; les "
        "autres sont ignorées. Séparateur virgule ou point-virgule, UTF-8. Pour chaque entreprise listée : "
        "validité du plus ancien début au plus lointain fin des qualifications valides ce jour, leurs domaines "
        "comme qualifications, statut valide (ou expiré si toutes sont échues, suspendu s'il l'était) ; le n° RGE "
        "déjà connu est gardé, sinon le code de qualification en tient lieu. Les entreprises absentes ne changent pas."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="export CSV de la liste des entreprises RGE")
        parser.add_argument("--date", help="date de référence AAAA-MM-JJ (défaut : aujourd'hui)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        try:
            today = date.fromisoformat(options["date"]) if options["date"] else timezone.localdate()
        except ValueError:
            raise CommandError("--date attend une date AAAA-MM-JJ.")
        report = RgeImportReport()
        try:
            qualifications = read_rge_list(path.read_text(encoding="utf-8-sig"), report)
        except (RgeListError, UnicodeDecodeError) as error:
            raise CommandError(str(error))
        import_rge_list(qualifications, today=today, report=report)
        self.stdout.write(
            f"{report.lines} ligne(s) lue(s), {len(report.skipped_lines)} ignorée(s) ; {report.sirets} SIRET listé(s), "
            f"{report.matched} installateur(s) reconnu(s), {len(report.updated)} mis à jour ; "
            f"{report.installers_not_listed} installateur(s) absent(s) de la liste (inchangés)."
        )
        for line in report.skipped_lines[:20]:
            self.stdout.write(f"  ignorée : {line}")
        for name in report.updated:
            self.stdout.write(f"  mis à jour : {name}")
