"""The public RGE list (ADEME open data, « Liste des entreprises RGE »): read its CSV export,
bring the installers' RGE data in line with it, matched by SIRET.

One line of the list is one qualification of one establishment. The columns read are
``siret``, ``code_qualification``, ``nom_qualification``, ``domaine``, ``organisme`` and the
qualification's validity ``lien_date_debut`` / ``lien_date_fin`` (``date_debut`` / ``date_fin``
accepted); the others (``nom_entreprise``, ``adresse``, ``meta_domaine``, ``nom_certificat``,
``url_qualification``, ``particulier``…) are ignored. Comma or semicolon separated, UTF-8.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Iterable

from django.db import transaction

from .activity import log_activity
from .models import Installer, RgeStatus, User
from .rge import RGE_FIELDS, rge_data
from .validators import normalise_identifier

REQUIRED_COLUMNS = ("siret", "code_qualification")
START_COLUMNS = ("lien_date_debut", "date_debut")
END_COLUMNS = ("lien_date_fin", "date_fin")


class RgeListError(ValueError):
    """The file is not an RGE list (a required column is missing)."""


@dataclass(frozen=True)
class Qualification:
    siret: str
    code: str
    name: str
    domain: str
    body: str
    start: date | None
    end: date | None

    def valid_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and self.end is not None and day <= self.end


@dataclass
class RgeImportReport:
    lines: int = 0
    skipped_lines: list[str] = field(default_factory=list)
    sirets: int = 0
    matched: int = 0
    updated: list[str] = field(default_factory=list)
    installers_not_listed: int = 0


def _date(value: str) -> date | None:
    value = (value or "").strip()[:10]
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    return None


def read_rge_list(text: str, report: RgeImportReport) -> list[Qualification]:
    """The qualifications of a CSV export of the list. Lines without a 14-digit SIRET or
    with an unreadable end date are skipped and noted in ``report``. Raises RgeListError."""
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    columns = {name.strip().lower() for name in reader.fieldnames or []}
    start_column = next((name for name in START_COLUMNS if name in columns), None)
    end_column = next((name for name in END_COLUMNS if name in columns), None)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if end_column is None:
        missing.append(" ou ".join(END_COLUMNS))
    if missing:
        raise RgeListError(f"Colonnes absentes du fichier : {', '.join(missing)} (est-ce la liste des entreprises RGE ?).")
    qualifications = []
    for number, raw in enumerate(reader, start=2):
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in raw.items()}
        report.lines += 1
        siret = normalise_identifier(row["siret"])
        end = _date(row[end_column])
        if len(siret) != 14 or not siret.isdigit() or end is None:
            report.skipped_lines.append(f"ligne {number} : SIRET « {row['siret']} » ou date de fin « {row[end_column]} » illisible")
            continue
        qualifications.append(Qualification(
            siret=siret, code=row["code_qualification"], name=row.get("nom_qualification", ""),
            domain=row.get("domaine", ""), body=row.get("organisme", ""),
            start=_date(row[start_column]) if start_column else None, end=end,
        ))
    return qualifications


def listed_rge_data(current: dict, qualifications: list[Qualification], today: date) -> tuple[dict, str]:
    """The RGE block and status the list gives one company.

    The qualifications valid today make it: validity from the earliest start to the latest
    end, their domains as qualifications. With none valid today, the latest ended ones make
    it and the status is expired. The list has no certificate number: a number already
    recorded is kept, otherwise the qualification code stands for it.
    """
    valid = [q for q in qualifications if q.valid_on(today)]
    if valid:
        kept, status = valid, RgeStatus.VALID
    else:
        latest = max(q.end for q in qualifications)
        kept, status = [q for q in qualifications if q.end == latest], RgeStatus.EXPIRED
    kept.sort(key=lambda q: (q.end, q.code), reverse=True)
    starts = [q.start for q in kept if q.start]
    data = {
        "rge_number": current["rge_number"] or kept[0].code,
        "rge_valid_from": min(starts) if starts else None,
        "rge_valid_until": max(q.end for q in kept),
        "qualifications": sorted({q.domain or q.name or q.code for q in kept}),
    }
    return data, status


@transaction.atomic
def import_rge_list(qualifications: Iterable[Qualification], *, today: date, report: RgeImportReport,
                    user: User | None = None) -> RgeImportReport:
    """Update the RGE data of every installer whose SIRET is on the list, logged per company.

    A company suspended by the back-office stays suspended (its dates and qualifications
    are updated). Installers absent from the list are counted, not changed: the list only
    holds current qualifications, and a partial file must not expire anybody.
    """
    by_siret: dict[str, list[Qualification]] = defaultdict(list)
    for qualification in qualifications:
        by_siret[qualification.siret].append(qualification)
    report.sirets = len(by_siret)
    installers = Installer.objects.select_for_update().filter(siret__in=list(by_siret))
    for installer in installers:
        report.matched += 1
        current = rge_data(installer)
        data, status = listed_rge_data(current, by_siret[installer.siret], today)
        if installer.rge_status == RgeStatus.SUSPENDED:
            status = RgeStatus.SUSPENDED
        if data == current and status == installer.rge_status:
            continue
        for name, value in data.items():
            setattr(installer, name, value)
        before_status, installer.rge_status = installer.rge_status, status
        installer._history_user = user
        installer.save()
        report.updated.append(installer.name)
        changed = {f: [str(current[f]), str(data[f])] for f in RGE_FIELDS if current[f] != data[f]}
        if before_status != status:
            changed["rge_status"] = [before_status, status]
        log_activity(
            "rge_list_imported", actor=user, target=installer,
            description="Données RGE mises à jour depuis la liste publique des entreprises RGE : " + ", ".join(sorted(changed)),
            metadata={"changes": changed},
        )
    report.installers_not_listed = Installer.objects.exclude(siret__in=list(by_siret)).count()
    return report
