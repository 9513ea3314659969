"""Demo data: accounts with printed passwords, installer companies, dossiers in every status."""
from __future__ import annotations

import time

from django.core.management import BaseCommand, CommandError

from dossiers.backoffice.demo.accounts import DEMO_ACCOUNTS, delete_demo_dossiers, demo_dossiers, ensure_demo_accounts
from dossiers.backoffice.demo.plan import DEMO_DOCUMENT_FLAG
from dossiers.backoffice.demo.seeder import DossierSeeder
from dossiers.models import DossierStatus


class Command(BaseCommand):
    help = (
        "Crée les comptes de démonstration (mots de passe affichés), des installateurs et des dossiers "
        "dans tous les statuts. Idempotent : relancée, la commande complète jusqu'au nombre demandé "
        "sans rien dupliquer. --reset supprime d'abord les dossiers de démonstration."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dossiers", type=int, default=40, help="Nombre de dossiers de démonstration voulus (40).")
        parser.add_argument("--installers", type=int, default=2, help="Nombre d'installateurs de démonstration (2).")
        parser.add_argument("--reset", action="store_true", help="Supprime les dossiers de démonstration avant de créer.")
        parser.add_argument("--seed", type=int, default=2026, help="Graine du générateur aléatoire (2026).")

    def handle(self, *args, **options):
        wanted, installers = options["dossiers"], options["installers"]
        if wanted < 0 or installers < 1:
            raise CommandError("--dossiers doit être positif et --installers au moins 1.")
        started = time.monotonic()

        if options["reset"]:
            removed = delete_demo_dossiers()
            self.stdout.write(f"{removed} dossiers de démonstration supprimés.")

        accounts = ensure_demo_accounts(installers, log=self.stdout.write)
        for line in accounts.created:
            self.stdout.write(f"Créé : {line}")

        existing = demo_dossiers().count()
        missing = max(0, wanted - existing)
        if missing == 0:
            self.stdout.write(f"{existing} dossiers de démonstration déjà présents : rien à ajouter.")
        else:
            self.stdout.write(f"Création de {missing} dossiers sur {len(accounts.installers)} installateurs…")
            seeder = DossierSeeder(accounts, seed=options["seed"] + existing, log=self.stdout.write)
            report = seeder.seed(missing)
            self.stdout.write(
                f"{report.dossiers} dossiers, {report.operations} opérations, {report.documents} documents "
                f"(sans fichier, marqués « {DEMO_DOCUMENT_FLAG} »), {report.fields} champs extraits, "
                f"{report.activities} entrées du journal, {report.invoices} factures, {report.payments} paiements "
                f"en {report.seconds:.1f} s."
            )
            by_status = ", ".join(
                f"{DossierStatus(status).label} {report.by_status.get(status, 0)}" for status in DossierStatus.values
            )
            self.stdout.write(f"Par statut : {by_status}.")

        self.stdout.write(self.style.SUCCESS(f"Données de démonstration prêtes en {time.monotonic() - started:.1f} s."))
        self.stdout.write("Comptes de démonstration :")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.role:<14} {account.email:<26} mot de passe : {account.password}")
