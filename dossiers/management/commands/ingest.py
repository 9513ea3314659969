"""``python manage.py ingest FILE... [--dossier REF] [--json]``: the whole pipeline, synchronously.

Each file goes through the one ingest service, then the document stages; once every file
is in, the dossier stages run (operations, completeness, rules). Without ``--dossier`` a
scratch dossier is created for a CLI installer. A file named twice (or two files of the same
bytes) is read once: the second gets the first's documents and ``"duplicate_of"``. ``--json``
prints one JSON object per input file on stdout; a progress bar goes to stderr when it is a
terminal.

The writes that lead up to a file's result (the scratch dossier, the upload, the
submission) commit without waiting for the disk (``unflushed_commits``): the document's
final status commit, which does wait, makes them durable before its line is printed.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import Installer
from documents.models import Document
from documents.ingest import IngestError
from dossiers.models import Dossier, DossierStatus
from dossiers.status import transition
from dossiers.workflow import processing
from dossiers.workflow.ingest_summary import file_summary
from dossiers.workflow.upload import ingest_file
from extraction import services
from extraction.pipeline.hints import configuration_read_once
from extraction.pipeline.runner import unflushed_commits, unflushed_transaction

CLI_INSTALLER_SIRET = "99999999800019"  # Luhn-valid, outside the real SIRENE range in use


def cli_installer() -> Installer:
    installer, _ = Installer.objects.get_or_create(
        siret=CLI_INSTALLER_SIRET,
        defaults={"name": "Installateur CLI (dossiers de test)", "city": "", "is_active": True},
    )
    return installer


def scratch_dossier() -> Dossier:
    stamp = f"CLI-{timezone.localtime():%Y%m%d-%H%M%S}-"
    reference, attempt = stamp + secrets.token_hex(4).upper(), 1
    while Dossier.objects.filter(reference=reference).exists():  # runs started in the same second
        attempt += 1  # another draw, then a counter
        reference = stamp + (secrets.token_hex(4).upper() if attempt <= 3 else f"{attempt:08X}")
    with unflushed_transaction():
        return Dossier.objects.create(reference=reference, installer=cli_installer(),
                                      beneficiary_name="Dossier de test (ingest)")


class Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, stream=None):
        self.total = total
        self.stream = stream or sys.stderr
        self.enabled = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.done = 0

    def show(self, label: str) -> None:
        if not self.enabled:
            return
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        name = label if len(label) <= 40 else "…" + label[-39:]
        self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {name:<40}")
        self.stream.flush()

    def advance(self, label: str) -> None:
        self.done += 1
        self.show(label)

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Dépose des fichiers dans un dossier et exécute tout le traitement (sans worker)."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--dossier", metavar="REF", help="Référence d'un dossier existant (sinon un dossier de test est créé).")
        parser.add_argument("--json", action="store_true", help="Une ligne JSON par fichier sur la sortie standard.")

    def handle(self, *args, **options):
        if options["dossier"]:
            dossier = Dossier.objects.filter(reference=options["dossier"]).first()
            if dossier is None:
                raise CommandError(f"Dossier introuvable : {options['dossier']}")
        else:
            dossier = scratch_dossier()
        as_json = options["json"]
        progress = Progress(len(options["files"]), stream=self.stderr._out)
        errors = 0
        # Anything else printing to stdout meanwhile (the console e-mail backend, a library)
        # goes to stderr: stdout carries only this command's output, one JSON object a line.
        with contextlib.redirect_stdout(sys.stderr), configuration_read_once():
            for path in options["files"]:
                progress.show(Path(path).name)
                summary = self._ingest_one(dossier, path)
                errors += "error" in summary
                progress.advance(Path(path).name)
                if as_json:
                    self.stdout.write(json.dumps(summary, ensure_ascii=False))
                else:
                    self._print_human(summary)
            progress.close()
            dossier = self._finish(dossier)
        missing = ", ".join(m["label"] for m in dossier.missing_documents) or "aucun"
        self.stderr.write(f"Dossier {dossier.reference} : {dossier.get_status_display()} — documents manquants : {missing}")
        if errors:
            raise CommandError(f"{errors} fichier(s) refusé(s) ou en échec.")

    def _ingest_one(self, dossier: Dossier, path: str) -> dict:
        file_path = Path(path)
        try:
            with file_path.open("rb") as handle, unflushed_commits():
                document = ingest_file(dossier=dossier, fileobj_or_bytes=handle, filename=file_path.name,
                                       schedule_processing=False)
        except IngestError as error:
            earlier = self._same_file_in(dossier, file_path) if error.code == "duplicate_in_dossier" else None
            if earlier is not None:
                # the same bytes named twice (one installer's RGE certificate in two of its dossiers):
                # the document read the first time, no refusal
                return {**file_summary(path, earlier), "duplicate_of": earlier.original_filename}
            return file_summary(path, None, error=error.as_dict())
        except OSError as error:
            return file_summary(path, None, error={"code": "unreadable", "message": f"Lecture impossible : {error.strerror}"})
        services.process_document(document)
        return file_summary(path, document)

    @staticmethod
    def _same_file_in(dossier: Dossier, file_path: Path) -> Document | None:
        sha256 = hashlib.sha256(file_path.read_bytes()).hexdigest()
        return Document.objects.filter(dossier=dossier, sha256=sha256, parent__isnull=True).first()

    def _finish(self, dossier: Dossier) -> Dossier:
        dossier.refresh_from_db()
        if dossier.status == DossierStatus.DRAFT:
            with unflushed_commits():  # process_dossier's next commit waits for the disk
                transition(dossier, DossierStatus.SUBMITTED, reason="Dépôt en ligne de commande.")
        return processing.process_dossier(dossier)

    def _print_human(self, summary: dict) -> None:
        if "error" in summary and not summary["documents"]:
            self.stdout.write(f"{summary['file']} : REFUSÉ — {summary['error']['message']}")
            return
        for document in summary["documents"]:
            pages = document["pages"]
            self.stdout.write(
                f"{summary['file']} p.{pages[0]}-{pages[-1]} : {document['type']} "
                f"(confiance {document['confidence']:.2f}), {len(document['fields'])} champ(s)"
            )
            for name, field in document["fields"].items():
                self.stdout.write(f"    {name} = {field['value']} ({field['confidence']:.2f}, p.{field['page']})")
        if "error" in summary:
            self.stdout.write(f"{summary['file']} : ÉCHEC — {summary['error']['message']}")
