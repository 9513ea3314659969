"""The global search of validators and back office: one query over dossiers (reference,
beneficiary, address), installers (name, SIRET, SIREN, address) and documents' text.

Every word of the query must appear somewhere in the entity, in any of its fields, without
regard to accents or case. PostgreSQL runs a full-text search with ``french_unaccent`` (the
French configuration through the ``unaccent`` dictionary, migration ``dossiers.0011_global_search``): French
stems, each word also matched as a prefix (« chauv » finds « Chauvin »), ranked by
``ts_rank`` with the name and reference weighted above the address, on GIN indexes over the
same vectors (for documents, stored ones: computed when the text changes, migration 0016).
SQLite folds accents in Python (``cee_unaccent``) and ranks by where the words were found.
A 9- or 14-digit query (spaces allowed) also looks up SIREN/SIRET, a reference (``CEE-2026-…``)
the references.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from accounts.models import Installer
from documents.models import Document

from .models import Dossier, DossierStatus
from .search import Unaccent, strip_accents

CONFIG = "french_unaccent"
LIMIT = 20
SNIPPET_CHARS = 160
_MARK_OPEN, _MARK_CLOSE = "\u27e6", "\u27e7"  # never in a document: replaced by <mark> once escaped

# (field, weight): A counts most. The GIN indexes of migration dossiers.0011_global_search are built on the
# vectors these make; change one and the other together (tests check the index is used). Documents'
# vectors are stored (documents.DocumentSearchVector, written by the trigger of migration
# dossiers.0016_document_search_vector from the text, weight B): DOCUMENT_FIELDS serves SQLite.
DOSSIER_FIELDS = [("reference", "A"), ("beneficiary_name", "A"), ("beneficiary_address", "B"),
                  ("beneficiary_postal_code", "B"), ("beneficiary_city", "B"), ("works_address", "B"),
                  ("works_postal_code", "B"), ("works_city", "B")]
INSTALLER_FIELDS = [("name", "A"), ("siret", "A"), ("siren", "A"), ("address", "B"), ("postal_code", "B"),
                    ("city", "B"), ("contact_name", "B"), ("rge_number", "B")]
DOCUMENT_FIELDS = [("text", "B")]


def search_vector(fields: list[tuple[str, str]]) -> SearchVector:
    vectors = {}
    for name, weight in fields:
        vectors.setdefault(weight, []).append(name)
    parts = [SearchVector(*names, weight=weight, config=CONFIG) for weight, names in sorted(vectors.items())]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined + part
    return combined


@dataclass
class SearchHit:
    kind: str  # "dossier", "installer", "document"
    id: int
    title: str
    subtitle: str
    url: str
    rank: float
    snippet: str = ""  # HTML: escaped text with the words in <mark>


@dataclass
class SearchResults:
    query: str
    dossiers: list[SearchHit] = field(default_factory=list)
    installers: list[SearchHit] = field(default_factory=list)
    documents: list[SearchHit] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.dossiers) + len(self.installers) + len(self.documents)

    def as_dict(self) -> dict:
        return {
            "query": self.query, "total": self.total,
            "dossiers": [asdict(h) for h in self.dossiers], "installers": [asdict(h) for h in self.installers],
            "documents": [asdict(h) for h in self.documents],
        }


def may_search(user) -> bool:
    """Validators and administrators (the back office) search everything; installers never."""
    return bool(user and user.is_authenticated and user.is_active
                and (user.is_superuser or user.role in ("administrator", "validator")))


def words_of(query: str) -> list[str]:
    """The query's words, accents and case folded (« Rénov'Énergie » → ["renov", "energie"])."""
    return re.findall(r"\w+", strip_accents(query or "").lower())


def global_search(query: str, *, user=None, limit: int = LIMIT) -> SearchResults:
    """Search ``query`` everywhere; ``user`` None is the command line (trusted).

    Raises ``PermissionDenied`` for a user who may not search (installers, anonymous).
    """
    if user is not None and not may_search(user):
        raise PermissionDenied("La recherche globale est réservée aux validateurs et au back-office.")
    results = SearchResults(query=query)
    words = words_of(query)
    if not words:
        return results
    if connection.vendor == "postgresql":
        tsquery = SearchQuery(" & ".join(f"{w}:*" for w in words), search_type="raw", config=CONFIG)
        results.dossiers = _ranked_pg(_dossier_extra(query), Dossier.objects.all(), DOSSIER_FIELDS, tsquery, limit, _dossier_hit)
        results.installers = _ranked_pg(_installer_extra(query), Installer.objects.all(), INSTALLER_FIELDS, tsquery, limit,
                                        _installer_hit)
        results.documents = _documents_pg(tsquery, limit)
    else:
        results.dossiers = _ranked_folded(_dossier_extra(query), Dossier.objects.all(), DOSSIER_FIELDS, words, limit,
                                          _dossier_hit)
        results.installers = _ranked_folded(_installer_extra(query), Installer.objects.all(), INSTALLER_FIELDS, words, limit,
                                            _installer_hit)
        results.documents = _documents_folded(words, limit)
    return results


# --- what a query means besides words ------------------------------------------------------

_REFERENCE_RE = re.compile(r"^[A-Za-z]{2,5}-\d{2,4}-?\d*$")


def _digits(query: str) -> str:
    return re.sub(r"[\s.]", "", query)


def _installer_extra(query: str) -> Q | None:
    digits = _digits(query)
    if digits.isdigit() and len(digits) in (9, 14):
        return Q(siret=digits) if len(digits) == 14 else Q(siren=digits)
    return None


def _dossier_extra(query: str) -> Q | None:
    term = query.strip()
    return Q(reference__istartswith=term) if _REFERENCE_RE.match(term) else None


# --- PostgreSQL: full text -----------------------------------------------------------------

def _ranked_pg(extra: Q | None, queryset: QuerySet, fields, tsquery, limit, to_hit) -> list[SearchHit]:
    vector = search_vector(fields)
    matches = Q(search_match=tsquery)
    if extra is not None:
        matches |= extra
    rows = (
        queryset.alias(search_match=vector).filter(matches)
        .annotate(rank=SearchRank(vector, tsquery)).order_by("-rank", "pk")[:limit]
    )
    return [to_hit(row, float(row.rank)) for row in _with_relations(rows)]


def _documents_pg(tsquery, limit) -> list[SearchHit]:
    rows = (
        Document.objects.filter(search_vector__vector=tsquery)
        .annotate(rank=SearchRank(F("search_vector__vector"), tsquery), snippet=SearchHeadline(
            "text", tsquery, config=CONFIG, start_sel=_MARK_OPEN, stop_sel=_MARK_CLOSE, max_words=25, min_words=8,
        ))
        .select_related("dossier", "document_type").order_by("-rank", "pk")[:limit]
    )
    return [_document_hit(row, float(row.rank), _marked(row.snippet)) for row in rows]


def _marked(text: str) -> str:
    return mark_safe(escape(" ".join(text.split())).replace(_MARK_OPEN, "<mark>").replace(_MARK_CLOSE, "</mark>"))


# --- SQLite: folded substrings -------------------------------------------------------------

def _folded_filter(queryset: QuerySet, fields, words: list[str]) -> QuerySet:
    aliases = {f"plain_{name}": Unaccent(name) for name, _weight in fields}
    condition = Q()
    for word in words:
        condition &= Q(*(Q(**{f"plain_{name}__icontains": word}) for name, _w in fields), _connector=Q.OR)
    return queryset.alias(**aliases).filter(condition)


def _folded_rank(row, fields, words: list[str]) -> float:
    """Each word found in an A field counts 1, in another field 0.4; a field equal to the query 1 more."""
    values = {name: strip_accents(str(getattr(row, name) or "")).lower() for name, _w in fields}
    rank = 0.0
    for word in words:
        weights = [1.0 if weight == "A" else 0.4 for name, weight in fields if word in values[name]]
        rank += max(weights, default=0.0)
    if any(value == " ".join(words) for value in values.values()):
        rank += 1.0
    return rank


def _ranked_folded(extra: Q | None, queryset: QuerySet, fields, words, limit, to_hit) -> list[SearchHit]:
    matched = _folded_filter(queryset, fields, words)
    if extra is not None:
        matched = matched | queryset.filter(extra)
    rows = list(_with_relations(matched.order_by("pk")[:500]))
    ranked = sorted(((_folded_rank(row, fields, words) + (1.0 if extra is not None else 0.0), row) for row in rows),
                    key=lambda pair: (-pair[0], pair[1].pk))
    return [to_hit(row, rank) for rank, row in ranked[:limit]]


def _documents_folded(words, limit) -> list[SearchHit]:
    rows = list(_folded_filter(Document.objects.all(), DOCUMENT_FIELDS, words)
                .select_related("dossier", "document_type").order_by("pk")[:500])
    hits = []
    for row in rows:
        folded = strip_accents(row.text).lower()
        rank = sum(folded.count(word) for word in words) / (1 + len(folded) / 1000)
        hits.append(_document_hit(row, rank, _folded_snippet(row.text, folded, words)))
    return sorted(hits, key=lambda h: (-h.rank, h.id))[:limit]


def _folded_snippet(text: str, folded: str, words: list[str]) -> str:
    """About SNIPPET_CHARS characters around the first word found, the words marked.
    (Folding keeps the length of French text, œ aside, so positions carry over.)"""
    start = min((folded.find(w) for w in words if w in folded), default=0)
    begin = max(0, start - SNIPPET_CHARS // 3)
    piece, folded_piece = text[begin:begin + SNIPPET_CHARS], folded[begin:begin + SNIPPET_CHARS]
    out, i = [], 0
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    for match in pattern.finditer(folded_piece):
        out.append(escape(piece[i:match.start()]))
        out.append(f"<mark>{escape(piece[match.start():match.end()])}</mark>")
        i = match.end()
    out.append(escape(piece[i:]))
    return mark_safe(("…" if begin else "") + " ".join("".join(out).split()) + ("…" if begin + SNIPPET_CHARS < len(text) else ""))


# --- hits ----------------------------------------------------------------------------------

def _with_relations(rows: QuerySet) -> QuerySet:
    return rows.select_related("installer") if rows.model is Dossier else rows


def _review_url(dossier_id: int) -> str:
    return reverse("admin:dossiers_dossier_review", args=[dossier_id])


def _dossier_hit(dossier: Dossier, rank: float) -> SearchHit:
    place = " ".join(p for p in (dossier.works_postal_code or dossier.beneficiary_postal_code,
                                 dossier.works_city or dossier.beneficiary_city) if p)
    return SearchHit(
        kind="dossier", id=dossier.pk, title=f"{dossier.reference} — {dossier.beneficiary_name}",
        subtitle=" · ".join(p for p in (place, dossier.installer.name, DossierStatus(dossier.status).label) if p),
        url=_review_url(dossier.pk), rank=round(rank, 4),
    )


def _installer_hit(installer: Installer, rank: float) -> SearchHit:
    return SearchHit(
        kind="installer", id=installer.pk, title=installer.name,
        subtitle=" · ".join(p for p in (f"SIRET {installer.siret}", f"{installer.postal_code} {installer.city}".strip()) if p),
        url=reverse("admin:accounts_installer_change", args=[installer.pk]), rank=round(rank, 4),
    )


def _document_hit(document: Document, rank: float, snippet: str) -> SearchHit:
    kind = document.document_type.name if document.document_type_id else "Document"
    return SearchHit(
        kind="document", id=document.pk, title=f"{document.original_filename} ({kind})",
        subtitle=f"Dossier {document.dossier.reference}", url=_review_url(document.dossier_id) + f"#document-{document.pk}",
        rank=round(rank, 4), snippet=snippet,
    )

