"""Write a corpus of generated CEE dossiers with their ground truth.

Layout of the output folder::

    manifest.json                  seed, options, every file with its truth
    dossier_0001/devis.pdf         one file per document…
    dossier_0001/devis.json        …and its truth: {"file", "scanned", "format", "documents": [
                                     {"type", "pages", "template", "fields": {name: canonical value},
                                      "ambiguous": [fields two products give differently]}]}
    dossier_0003/dossier.pdf       a multi-document file (devis + facture + attestation)

Deterministic: the same seed and options give byte-identical files.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path
from random import Random

from faker import Faker

from .documents import TEMPLATES, Drawn, note_dimensionnement
from .facts import DossierFacts, make_dossier
from .forms import avis_two_declarants, rge_by_body
from .heldout_facts import letters_facts
from .software import devis_software, facture_software
from .software_facts import software_facts
from .software_forms import attestation_official, avis_justificatif, avis_situation, cadre_partner, note_software, rge_software
from .office import devis_office, facture_office
from .office_certificates import avis_first_page, note_bureau, rge_office
from .office_facts import office_facts
from .office_forms import attestation_comb, cadre_convention, cadre_email
from .network import devis_artisan, devis_network, facture_artisan, facture_network
from .network_facts import network_facts
from .network_forms import attestation_delegate, attestation_hand, cadre_delegate
from .network_papers import avis_declarants, avis_situation_declarative, note_outil, rge_annuaire, rge_mark
from .platform_facts import platform_facts
from .platform_forms import attestation_proof, attestation_web, cadre_recap, cadre_simulation
from .platform_papers import avis_mobile, avis_telecharge, note_simulateur, rge_espace, rge_mail
from .platform_quotes import devis_bare, devis_saas, devis_sidebar, facture_bare, facture_saas, facture_sidebar
from .retail_facts import retail_facts
from .retail_forms import attestation_formulaire, attestation_saisie, cadre_contrat, cadre_coup_de_pouce
from .retail_papers import avis_deux_pages, avis_impot, note_etude, rge_attestation, rge_certificat
from .retail_quotes import devis_magasin, devis_partenaire, devis_tableur, facture_magasin, facture_partenaire, facture_tableur
from .retail_scan import retail_scanned_file
from .issuers import assign_installer, document_random, make_pool, shared_template_random
from .letters import attestation_letter, cadre_letter, devis_letter, facture_letter
from .scan import scanned_file

# The held-out family's layouts (issue 13): letters, administrative forms, ink signatures.
LETTER_TEMPLATES = {
    "devis": [devis_letter], "facture": [facture_letter], "attestation_honneur": [attestation_letter],
    "cadre_contribution": [cadre_letter], "certificat_rge": [rge_by_body], "avis_imposition": [avis_two_declarants],
    "note_dimensionnement": [note_dimensionnement],
}
# The third held-out family's layouts: artisans' software, regulatory and body-specific forms (software_facts).
SOFTWARE_TEMPLATES = {
    "devis": [devis_software], "facture": [facture_software], "attestation_honneur": [attestation_official],
    "cadre_contribution": [cadre_partner], "certificat_rge": [rge_software], "avis_imposition": [avis_situation, avis_justificatif],
    "note_dimensionnement": [note_software],
}
# The fourth held-out family's layouts: documents typed in Word / Excel, Cerfa-like forms with comb
# fields, conventions and e-mails, other bodies' certificates, the tax office's first page (office_facts).
OFFICE_TEMPLATES = {
    "devis": [devis_office], "facture": [facture_office], "attestation_honneur": [attestation_comb],
    "cadre_contribution": [cadre_convention, cadre_email], "certificat_rge": [rge_office], "avis_imposition": [avis_first_page],
    "note_dimensionnement": [note_bureau],
}
# The fifth held-out family's layouts: multi-page quotes and invoices in lots with « À reporter » and general
# terms, délégataires' CEE blocks and engagement letters, the France Rénov' directory printed as RGE proof,
# attestations filled in by hand, the avis de situation déclarative (network_facts).
NETWORK_TEMPLATES = {
    "devis": [devis_network, devis_artisan], "facture": [facture_network, facture_artisan],
    "attestation_honneur": [attestation_hand, attestation_delegate], "cadre_contribution": [cadre_delegate],
    "certificat_rge": [rge_annuaire, rge_mark], "avis_imposition": [avis_situation_declarative, avis_declarants],
    "note_dimensionnement": [note_outil],
}
# The sixth held-out family's layouts: online invoicing tools (dark band, sidebar, bare page), e-signatures and
# their proof pages, the attestation filled in online, the délégataire platform's offer, the RGE body's web
# space and e-mail, the avis downloaded from impots.gouv, a maker's online sizing tool (platform_facts).
PLATFORM_TEMPLATES = {
    "devis": [devis_saas, devis_sidebar, devis_bare], "facture": [facture_saas, facture_sidebar, facture_bare],
    "attestation_honneur": [attestation_web, attestation_proof], "cadre_contribution": [cadre_simulation, cadre_recap],
    "certificat_rge": [rge_espace, rge_mail], "avis_imposition": [avis_telecharge, avis_mobile],
    "note_dimensionnement": [note_simulateur],
}
# The seventh held-out family's layouts: home-improvement retailers' installation services, energy suppliers' CEE
# programmes and franchise networks (a store's quote crowded with order, customer, store and loyalty numbers, a
# spreadsheet export in landscape, a supplier partner's quote under the programme's band), the attestation as a
# fillable PDF form or typed and signed in ink, the supplier's « Coup de pouce » offer and partner contract summary,
# multi-row RGE certificates, the avis d'impôt on one or two pages, the installation service's sizing note
# (retail_facts); its scans are faded on some files (retail_scan).
RETAIL_TEMPLATES = {
    "devis": [devis_magasin, devis_tableur, devis_partenaire], "facture": [facture_magasin, facture_tableur, facture_partenaire],
    "attestation_honneur": [attestation_formulaire, attestation_saisie], "cadre_contribution": [cadre_coup_de_pouce, cadre_contrat],
    "certificat_rge": [rge_certificat, rge_attestation], "avis_imposition": [avis_impot, avis_deux_pages],
    "note_dimensionnement": [note_etude],
}
FAMILY_TEMPLATES = {"classic": TEMPLATES, "letters": LETTER_TEMPLATES, "software": SOFTWARE_TEMPLATES, "office": OFFICE_TEMPLATES,
                    "network": NETWORK_TEMPLATES, "platform": PLATFORM_TEMPLATES, "retail": RETAIL_TEMPLATES}
FAMILY_FACTS = {"letters": letters_facts, "software": software_facts, "office": office_facts, "network": network_facts,
                "platform": platform_facts, "retail": retail_facts}
# How a family's files are scanned, where it is not ``scan.scanned_file``.
FAMILY_SCANS = {"retail": retail_scanned_file}


@dataclass
class CorpusOptions:
    dossiers: int = 10
    seed: int = 0
    scanned_ratio: float = 0.3
    multi_doc_ratio: float = 0.2
    family: str = "classic"  # classic | letters | software | office | network | platform | retail (held-out:
    # heldout_facts, software_facts, office_facts, network_facts, platform_facts, retail_facts)
    photo_ratio: float = 0.4  # held-out families: share of scans that are phone photos
    # 0: every document draws its own layout. N > 0: dossiers pick one of N installers whose
    # documents (and their obligé's cadre, their body's certificate) repeat one template (issuers.py).
    installers: int = 0
    # 0: as ``installers`` says. N > 0: each document type has N templates that any installer
    # prints (software sold to many: one layout, other companies and values); dossiers keep their
    # own installer. Exclusive with ``installers``.
    templates: int = 0


FAMILIES = ("classic", "letters", "software", "office", "network", "platform", "retail")


def _documents_for(facts: DossierFacts, rng: Random) -> list[str]:
    types = ["cadre_contribution", "devis", "facture", "attestation_honneur"]
    if rng.random() < 0.7:
        types.append("certificat_rge")
    if rng.random() < 0.4:
        types.append("avis_imposition")
    if any(op in ("BAR-TH-171", "BAR-TH-172") for op in facts.operations) and rng.random() < 0.8:
        types.append("note_dimensionnement")
    return types


def _draw(doc_type: str, facts: DossierFacts, rng: Random, templates: dict = TEMPLATES) -> tuple[Drawn, str]:
    template = rng.choice(templates[doc_type])
    return template(facts, rng), template.__name__


def _merge(pdfs: list[bytes]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for data in pdfs:
        reader = PdfReader(io.BytesIO(data))
        if "/AcroForm" in reader.trailer["/Root"]:
            writer.append(reader)  # a filled-in form keeps its fields (the retail family's attestation)
            continue
        for page in reader.pages:
            writer.add_page(page)
    writer.add_metadata({"/Producer": "cee corpus"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _truth_document(doc_type: str, drawn: Drawn, template: str, first_page: int) -> dict:
    return {
        "type": drawn.type or doc_type,
        "pages": list(range(first_page, first_page + drawn.pages)),
        "template": template,
        "fields": drawn.fields,
        "ambiguous": drawn.ambiguous,
    }


def generate_corpus(out_dir: str | Path, options: CorpusOptions) -> dict:
    """Generate ``options.dossiers`` dossiers under ``out_dir``; returns the manifest."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = Random(options.seed)
    fake = Faker("fr_FR")
    fake.seed_instance(options.seed)
    if options.family not in FAMILIES:
        raise ValueError(f"unknown family {options.family!r} ({', '.join(FAMILIES)})")
    family_facts = FAMILY_FACTS.get(options.family)
    templates = FAMILY_TEMPLATES[options.family]
    scanner = FAMILY_SCANS.get(options.family, scanned_file)
    pool = make_pool(options.seed, options.installers, options.family) if options.installers > 0 else None
    if pool and options.templates:
        raise ValueError("installers and templates are exclusive")
    shared = Random(f"{options.seed}|templates") if options.templates > 0 else None
    files = []
    for index in range(1, options.dossiers + 1):
        facts = make_dossier(rng, fake, index)
        if family_facts:
            family_facts(facts)
        installer = None
        if pool:
            installer = pool.pick()
            assign_installer(facts, installer)
        folder = out / f"dossier_{index:04d}"
        folder.mkdir(exist_ok=True)
        drawn, shared_picks = [], {}
        for doc_type in _documents_for(facts, rng):
            style = document_random(pool, installer, facts, doc_type) if pool else None
            if shared:
                shared_picks[doc_type] = shared.randrange(options.templates)
                style = shared_template_random(options.seed, shared_picks[doc_type], facts, doc_type)
            drawn.append((doc_type, *_draw(doc_type, facts, style or rng, templates)))
        groups: list[list[tuple[str, Drawn, str]]] = []
        if rng.random() < options.multi_doc_ratio:
            merged = [d for d in drawn if d[0] in ("devis", "facture", "attestation_honneur")]
            groups.append(merged)
            groups.extend([d] for d in drawn if d not in merged)
        else:
            groups = [[d] for d in drawn]
        for group in groups:
            name = "dossier" if len(group) > 1 else group[0][0]
            documents, page = [], 1
            for doc_type, d, template in group:
                documents.append(_truth_document(doc_type, d, template, page))
                page += d.pages
            pdf = group[0][1].pdf if len(group) == 1 else _merge([d.pdf for _, d, _ in group])
            scanned = rng.random() < options.scanned_ratio
            if scanned:
                data, ext, dpi = scanner(pdf, rng, photo=options.family != "classic" and rng.random() < options.photo_ratio)
            else:
                data, ext, dpi = pdf, "pdf", None
            path = folder / f"{name}.{ext}"
            path.write_bytes(data)
            truth = {
                "file": str(path.relative_to(out)),
                "dossier": facts.reference,
                "scanned": scanned,
                "format": ext,
                "dpi": dpi,
                "documents": documents,
                **({"installer": installer.company.siret} if installer else {}),
                **({"templates": {doc_type: shared_picks[doc_type] for doc_type, _, _ in group}} if shared else {}),
            }
            (folder / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8")
            files.append(truth)
    # Options at their default that older manifests did not have stay out (byte-identical files).
    written = {k: v for k, v in options.__dict__.items() if k not in ("installers", "templates") or v}
    manifest = {"seed": options.seed, "options": written, "files": files}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest
