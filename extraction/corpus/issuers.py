"""Issuers that reuse their templates: a pool of installers and obligés for the corpus.

By default every generated document draws a layout of its own. In real dossiers an installer
issues all its devis, factures and attestations from one template, an obligé writes every
cadre de contribution the same way and an RGE body prints one certificate form; learning from
corrections (issue 13) relies on that. With ``CorpusOptions(installers=N)`` each dossier picks
one of N installers (each partnered with an obligé), and the documents they issue are drawn
with a ``StyleRandom`` keyed on the issuer and the document type: the same layout, wording and
formats every time, around the dossier's own facts.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import sys
from dataclasses import dataclass
from random import Random

from .facts import OBLIGES, OPERATION_SETS, RGE_BODIES, Company, DossierFacts, make_company, make_siret
from .heldout_facts import LETTER_OBLIGES
from .network_facts import NETWORK_OBLIGES
from .office_facts import OFFICE_OBLIGES
from .platform_facts import PLATFORM_OBLIGES
from .retail_facts import RETAIL_OBLIGES
from .software_facts import SOFTWARE_OBLIGES

_PACKAGE = os.path.dirname(os.path.abspath(__file__))
_RANDOM_MODULE = random.__file__
_ISSUED_BY_INSTALLER = ("devis", "facture", "attestation_honneur", "note_dimensionnement")
# Numbering schemes of devis and factures (as in facts.make_dossier): one per installer.
_DEVIS_NUMBERS = ["D{y}-{n:04d}", "DEV-{y}-{n:05d}", "{y}{n:05d}", "D-{n:06d}", "DV{y2}{n:04d}"]
_FACTURE_NUMBERS = ["F{y}-{n:04d}", "FA-{y}-{n:05d}", "{y}{n:05d}", "FAC{n:06d}", "F-{y2}{n:04d}"]


class StyleRandom(Random):
    """A generator whose draws repeat from one document to the next of one issuer.

    Each place of the corpus code that draws (the chain of calls from the template down, file
    and line) reads a stream of its own seeded from ``style``: the k-th draw at a place gives
    the same value in every document of that style, however many draws the facts made other
    places take (a second product, a longer paragraph). ``content`` is the dossier's own
    generator, for the few values a template draws that are not layout (``facts.content_random``).
    """

    def __init__(self, style: str, content: Random):
        self._style = style
        self._streams: dict[tuple, Random] = {}
        self.content = content
        super().__init__(0)

    def _stream(self) -> Random:
        """The stream of the place that draws: the caller (past ``random``'s own methods), and
        the corpus functions that led to it, each as its function and line within it (an edit
        elsewhere in a module leaves the layouts drawn as they were)."""
        frame, place = sys._getframe(2), []
        while frame is not None:
            code = frame.f_code
            if code.co_filename not in (_RANDOM_MODULE, __file__) and (not place or code.co_filename.startswith(_PACKAGE)):
                place.append(f"{os.path.basename(code.co_filename)}:{code.co_name}:{frame.f_lineno - code.co_firstlineno}")
            frame = frame.f_back
        key = tuple(place)
        stream = self._streams.get(key)
        if stream is None:
            stream = self._streams[key] = Random(f"{self._style}|{'/'.join(place)}")
        return stream

    def random(self) -> float:
        if not hasattr(self, "_streams"):  # Random.__init__ seeding
            return super().random()
        return self._stream().random()

    def getrandbits(self, k: int) -> int:
        if not hasattr(self, "_streams"):
            return super().getrandbits(k)
        return self._stream().getrandbits(k)


@dataclass
class Oblige:
    name: str
    siret: str
    service: str
    style: int


@dataclass
class Installer:
    company: Company
    style: int
    oblige: Oblige
    devis_number: str
    facture_number: str


@dataclass
class IssuerPool:
    seed: int
    installers: list[Installer]
    picks: Random

    def pick(self) -> Installer:
        return self.picks.choice(self.installers)


def make_pool(seed: int, size: int, family: str = "classic", *, letters: bool | None = None) -> IssuerPool:
    """``size`` installers with their style seeds, each working with one obligé of the
    ``family``'s (a smaller pool of obligés, so some are shared), drawn from a generator of their
    own: the corpus's draws of the dossiers' facts stay those of the default corpus.
    ``letters``: the older flag, True for the letters family."""
    if letters is not None:
        family = "letters" if letters else "classic"
    rng = Random(f"{seed}|issuers")
    names = {"letters": LETTER_OBLIGES, "software": SOFTWARE_OBLIGES, "office": OFFICE_OBLIGES,
             "network": NETWORK_OBLIGES, "platform": PLATFORM_OBLIGES, "retail": RETAIL_OBLIGES}.get(family) or [(name, "Service CEE") for name in OBLIGES]
    obliges = [Oblige(name, make_siret(rng), service, rng.getrandbits(32))
               for name, service in rng.sample(names, min(len(names), max(1, (size + 1) // 2)))]
    installers = [Installer(make_company(rng, list(rng.choice(OPERATION_SETS))), rng.getrandbits(32), rng.choice(obliges),
                            rng.choice(_DEVIS_NUMBERS), rng.choice(_FACTURE_NUMBERS)) for _ in range(size)]
    return IssuerPool(seed, installers, Random(f"{seed}|picks"))


def assign_installer(facts: DossierFacts, installer: Installer) -> None:
    """The dossier's installer and obligé become the pool's (in place); the qualification follows
    the dossier's works (body and domains already drawn), its number and dates the installer's."""
    body = facts.installer.rge_body
    own = Random(f"{installer.style}|rge|{body}")
    start = dt.date(own.randint(2021, 2023), own.randint(1, 12), own.randint(1, 28))
    facts.installer = dataclasses.replace(
        installer.company, rge_body=body, domains=facts.installer.domains, rge_start=start,
        rge_end=start.replace(year=start.year + 4) - dt.timedelta(days=1),
        rge_numero=RGE_BODIES[body][0].format(n=own.randint(10000, 999999), y=start.year))
    numbers = Random(f"{facts.reference}|numbers")
    for attribute, scheme, date in (("devis_number", installer.devis_number, facts.date_devis),
                                    ("facture_number", installer.facture_number, facts.date_facture)):
        setattr(facts, attribute, scheme.format(y=date.year, y2=str(date.year)[2:], n=numbers.randint(1, 9999)))
    facts.oblige, facts.oblige_siret = installer.oblige.name, installer.oblige.siret
    facts.extra["oblige_service"] = installer.oblige.service


def document_random(pool: IssuerPool, installer: Installer, facts: DossierFacts, doc_type: str) -> Random | None:
    """The generator of a document issued from a pool issuer's template, ``None`` for the others
    (the avis d'imposition: one official form, drawn as before)."""
    content = Random(f"{pool.seed}|{facts.reference}|{doc_type}")
    if doc_type in _ISSUED_BY_INSTALLER:
        return StyleRandom(f"installer|{installer.style}|{doc_type}", content)
    if doc_type == "cadre_contribution":
        return StyleRandom(f"oblige|{installer.oblige.style}", content)
    if doc_type == "certificat_rge":
        return StyleRandom(f"{pool.seed}|rge|{facts.installer.rge_body}", content)
    return None


def shared_template_random(seed: int, template: int, facts: DossierFacts, doc_type: str) -> Random | None:
    """The generator of a document printed from the ``template``-th shared template of its type
    (``CorpusOptions(templates=N)``): the layout, wording and formats of that template, around the
    dossier's own issuer and values; ``None`` for the avis d'imposition (one official form)."""
    if doc_type == "avis_imposition":
        return None
    return StyleRandom(f"{seed}|template|{template}|{doc_type}", Random(f"{seed}|{facts.reference}|{doc_type}"))
