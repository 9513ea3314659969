"""Pages of the ``network`` family's quotes and invoices (see ``network_facts``): a document laid
out over as many pages as its blocks need, an item table that runs over pages with « À reporter »
at the foot and « Report » under the repeated header, and the last page of « Conditions générales
de vente » in two columns of small print.

``paginate`` draws the document twice: once on a scratch sheet to count its pages, then for real,
so that « Page 1/3 » is known on page 1. The blocks draw nothing from the template's generator
while they are placed (every choice is made before), so both passes place the same things.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable

from .office_grid import _scratch, next_page, wrap_words
from .sheet import PAGE_H, PAGE_W, Sheet

Block = Callable[[Sheet, float], float]  # draws from y, returns the y below
Header = Callable[[Sheet, int, int], float]  # draws the top of a page after the first, returns the y to go on from
Footer = Callable[[Sheet, int, int], None]


class Pager:
    """Places blocks down the pages of ``sh``; a block that does not fit opens the next page
    (``footer`` closes the page, ``header`` opens the next)."""

    def __init__(self, sh: Sheet, header: Header, footer: Footer, bottom: float, pages: int):
        self.sh, self.header, self.footer, self.bottom, self.pages = sh, header, footer, bottom, pages
        self.page, self.y = 1, 0.0

    def turn(self) -> None:
        self.footer(self.sh, self.page, self.pages)
        next_page(self.sh)
        self.page += 1
        self.y = self.header(self.sh, self.page, self.pages)

    def place(self, block: Block) -> None:
        height = block(_scratch(self.sh), 0.0)
        if self.y + height > self.bottom and self.y > 150:
            self.turn()
        self.y = block(self.sh, self.y)

    def rows(self, head: Block, rows: list[tuple[Block, Decimal]], carried: Callable[[Sheet, float, str, Decimal], float]) -> None:
        """A table: its ``head`` (repeated on every page it runs over), then ``rows`` (each with the
        HT amount it adds to the running total); where a row does not fit, « À reporter » and the
        running total close the page and « Report » opens the next."""
        ghost = _scratch(self.sh)
        reserve = carried(ghost, 0.0, "out", Decimal(0)) + 4
        if self.y + head(ghost, 0.0) + rows[0][0](ghost, 0.0) > self.bottom - reserve:
            self.turn()
        self.y = head(self.sh, self.y)
        running = Decimal(0)
        for row, amount in rows:
            if self.y + row(ghost, 0.0) > self.bottom - reserve:
                carried(self.sh, self.y, "out", running)
                self.turn()
                self.y = carried(self.sh, self.y, "in", running)
                self.y = head(self.sh, self.y)
            self.y = row(self.sh, self.y)
            running += amount

    def close(self) -> int:
        self.footer(self.sh, self.page, self.pages)
        return self.page


def paginate(sh: Sheet, body: Callable[[Pager], None], header: Header, footer: Footer, *, bottom: float,
             extra_pages: int = 0) -> int:
    """Lay ``body`` out over pages (``body(pager)`` places the blocks from ``pager.y``); returns
    the pages drawn, ``extra_pages`` more being announced in the page numbers."""
    ghost = Pager(_scratch(sh), header, footer, bottom, 0)
    body(ghost)
    pages = ghost.page
    pager = Pager(sh, header, footer, bottom, pages + extra_pages)
    body(pager)
    return pager.close()


# ---------------------------------------------------------------------------- general terms

def _articles(company: str, city: str, penalty: int, deposit: int) -> list[tuple[str, str]]:
    return [
        ("Article 1 – Objet et champ d'application", f"Les présentes conditions générales de vente s'appliquent à toutes les "
         f"prestations conclues par la société {company} avec ses clients consommateurs ou professionnels. Toute commande "
         "implique l'acceptation sans réserve des présentes conditions, qui prévalent sur tout autre document."),
        ("Article 2 – Devis et commande", "Le devis est gratuit sauf mention contraire. Il est valable trois (3) mois à compter "
         "de sa date d'émission. La commande est réputée ferme à réception du devis daté, signé et revêtu de la mention "
         f"« Bon pour accord », accompagné d'un acompte de {deposit} % du montant TTC."),
        ("Article 3 – Droit de rétractation", "Pour les contrats conclus hors établissement, le client consommateur dispose "
         "d'un délai de quatorze (14) jours à compter de la signature pour exercer son droit de rétractation (articles "
         "L. 221-18 à L. 221-28 du Code de la consommation), au moyen du formulaire joint ou de toute déclaration dénuée "
         "d'ambiguïté. Aucun paiement ne peut être exigé avant l'expiration d'un délai de sept (7) jours."),
        ("Article 4 – Prix", "Les prix sont établis sur la base des conditions économiques en vigueur au 1er janvier de l'année en "
         "cours. Ils s'entendent hors taxes ; la TVA est facturée au taux en vigueur à la date de facturation (5,5 % pour les "
         "travaux d'amélioration de la qualité énergétique, 10 % pour les travaux induits, 20 % dans les autres cas)."),
        ("Article 5 – Délais d'exécution", "Les délais sont donnés à titre indicatif. Un retard de moins de trente (30) jours ne "
         "peut donner lieu à pénalité ou annulation. Les intempéries et les cas de force majeure suspendent les délais."),
        ("Article 6 – Paiement", f"Sauf accord écrit, le solde est payable à réception de facture. Tout retard entraîne des "
         f"pénalités au taux de {penalty} % l'an, ainsi qu'une indemnité forfaitaire de 40 € pour frais de recouvrement "
         "(articles L. 441-10 et D. 441-5 du Code de commerce). Aucun escompte n'est accordé pour paiement anticipé."),
        ("Article 7 – Primes et aides", "Lorsque le client bénéficie d'une prime au titre des certificats d'économies d'énergie, "
         "celle-ci est versée par le délégataire désigné dans le document contractuel, sous réserve de la conformité du "
         "dossier ; en cas de refus, le montant correspondant reste dû par le client. Les montants indiqués pour MaPrimeRénov' "
         "sont estimatifs et ne sauraient engager l'entreprise."),
        ("Article 8 – Réserve de propriété", "Les matériels et fournitures restent la propriété de l'entreprise jusqu'au "
         "paiement intégral du prix (loi n° 80-335 du 12 mai 1980). Les risques sont transférés au client dès la livraison."),
        ("Article 9 – Réception et garanties", "La réception des travaux fait l'objet d'un procès-verbal contradictoire. "
         "L'entreprise est couverte par une assurance de responsabilité civile décennale (articles 1792 et suivants du Code "
         "civil) ; la garantie de parfait achèvement est d'un (1) an, la garantie biennale de bon fonctionnement de deux (2) ans."),
        ("Article 10 – Données personnelles", "Les données recueillies sont nécessaires au traitement de la commande et du dossier "
         "de prime ; elles peuvent être transmises au délégataire et au Pôle national des CEE. Le client dispose d'un droit "
         "d'accès, de rectification et d'effacement (règlement UE 2016/679)."),
        ("Article 11 – Sous-traitance", "L'entreprise se réserve le droit de confier tout ou partie des travaux à un "
         "sous-traitant qualifié, qu'elle fera agréer par le client conformément à la loi n° 75-1334 du 31 décembre 1975."),
        ("Article 12 – Déchets", "Les déchets de chantier sont triés et évacués vers une installation agréée ; le bordereau de "
         "suivi est remis au client sur demande (article L. 541-21-2 du Code de l'environnement). Les frais d'évacuation "
         "figurent sur une ligne distincte du devis."),
        ("Article 13 – Garanties des fabricants", "Les matériels bénéficient de la garantie de leur fabricant (2 à 5 ans pièces "
         "selon les marques, 10 ans pour certains compresseurs), sous réserve d'un entretien annuel par un professionnel. Le "
         "certificat d'entretien doit être conservé pendant toute la durée de la garantie."),
        ("Article 14 – Médiation et litiges", "En cas de litige, le client consommateur peut recourir gratuitement au médiateur "
         "de la consommation CM2C, 49 rue de Ponthieu, 75008 Paris (www.cm2c.net). À défaut d'accord amiable, le tribunal "
         f"compétent est celui du ressort de {city}."),
    ]


def conditions_page(sh: Sheet, company: str, city: str, title: str, top: float, penalty: int, deposit: int) -> None:
    """The general terms in two columns of small, dense print (noise: no field of the truth)."""
    size = 6.5
    leading = size * 1.25
    sh.text(PAGE_W / 2, top, title, sh.base_size + 1, "bold", align="center")
    gap = 16
    width = (sh.right - sh.left - gap) / 2
    lines: list[tuple[str, str]] = []
    for heading, text in _articles(company, city, penalty, deposit):
        lines.append(("bold", heading))
        lines += [("regular", line) for line in wrap_words(sh, text, width, size)]
        lines.append(("regular", ""))
    per_column = (len(lines) + 1) // 2
    for column in range(2):
        x, y = sh.left + column * (width + gap), top + 20
        for style, line in lines[column * per_column:(column + 1) * per_column]:
            if line:
                sh.text(x, y, line, size, style)
            y += leading
    sh.text(sh.left, PAGE_H - 60, "Le client reconnaît avoir pris connaissance des présentes conditions générales.", size + 0.8,
            "italic")
