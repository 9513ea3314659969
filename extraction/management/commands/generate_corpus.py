"""Generate a corpus of realistic CEE dossiers with their ground truth (tests, benchmarks, demos)."""
from pathlib import Path

from django.core.management import BaseCommand, CommandError

from extraction.corpus import CorpusOptions, generate_corpus
from extraction.corpus.generate import FAMILIES


def _ratio(value: str) -> float:
    number = float(value)
    if not 0 <= number <= 1:
        raise ValueError("attendu entre 0 et 1")
    return number


class Command(BaseCommand):
    help = (
        "Génère des dossiers CEE réalistes (devis, facture, attestation sur l'honneur, cadre de contribution, "
        "certificat RGE, avis d'imposition, note de dimensionnement) avec leur vérité terrain JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="dossier de sortie (créé au besoin)")
        parser.add_argument("--dossiers", type=int, default=10, help="nombre de dossiers (défaut 10)")
        parser.add_argument("--seed", type=int, default=0, help="graine : la même graine donne les mêmes fichiers")
        parser.add_argument("--scanned-ratio", type=_ratio, default=0.3, help="part des fichiers numérisés (0–1, défaut 0.3)")
        parser.add_argument("--multi-doc-ratio", type=_ratio, default=0.2,
                            help="part des dossiers dont devis, facture et attestation sont dans un seul PDF (défaut 0.2)")
        parser.add_argument("--family", choices=FAMILIES, default="classic",
                            help="mises en page : classic, letters (courriers, formulaires, signatures manuscrites : "
                                 "graines de mesure 7300–7399) ou software (logiciels de devis, formulaires officiels : "
                                 "graines de mesure 7400–7499) ou office (documents tapés sous Word / Excel, formulaires à "
                                 "cases : graines de mesure 7500–7599), tous tenus à l'écart")

    def handle(self, *args, **options):
        if options["dossiers"] < 1:
            raise CommandError("--dossiers doit être au moins 1.")
        out = Path(options["out"])
        manifest = generate_corpus(out, CorpusOptions(
            dossiers=options["dossiers"], seed=options["seed"],
            scanned_ratio=options["scanned_ratio"], multi_doc_ratio=options["multi_doc_ratio"], family=options["family"],
        ))
        files = manifest["files"]
        documents = sum(len(f["documents"]) for f in files)
        scanned = sum(1 for f in files if f["scanned"])
        self.stdout.write(self.style.SUCCESS(
            f"{len(files)} fichiers ({scanned} numérisés, {documents} documents) écrits dans {out} ; "
            f"vérité terrain : {out / 'manifest.json'}"
        ))
