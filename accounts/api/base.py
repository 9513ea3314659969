"""What every installer API view shares: permission, throttle, body size limit, idempotency."""
from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import ValuesIterable
from rest_framework import status
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BrowsableAPIRenderer

from documents.api.uploads import max_file_bytes, max_request_bytes, megabytes

from .exceptions import ApiError
from .idempotency import IdempotentPostMixin
from .permissions import IsInstaller
from .renderers import FastJSONRenderer
from .throttling import TokenRateThrottle

def check_declared_length(request) -> None:
    """Refuse a body announced as too large before a byte of it is read (413)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(status.HTTP_400_BAD_REQUEST, "invalid_content_length", "En-tête Content-Length invalide.")
    limit = max_request_bytes()
    if length > limit:
        raise ApiError(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "request_too_large",
            f"Requête trop volumineuse ({megabytes(length)}) : au plus {megabytes(limit)} par requête et "
            f"{megabytes(max_file_bytes())} par fichier. Envoyez les fichiers en plusieurs fois.",
            {"content_length": length, "max_request_bytes": limit, "max_file_bytes": max_file_bytes()},
        )


class StableOrderingFilter(OrderingFilter):
    """``OrderingFilter`` whose every ordering ends with the primary key, in the direction of
    its last key (``?ordering=-submitted_at`` sorts on ``submitted_at DESC, id DESC``): rows
    with equal sort keys keep one order from one page query to the next, so paging through
    them neither repeats nor skips a row."""

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering or not isinstance(ordering[-1], str):
            return ordering
        last = ordering[-1]
        if last.lstrip("-") in ("id", "pk"):
            return ordering
        return [*ordering, "-id" if last.startswith("-") else "id"]


class InstallerPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class CountWithPagePaginator(Paginator):
    """A paginator that reads the total with the page's rows: the page query carries the
    count of the same rows as a scalar subquery (``(SELECT COUNT(*) FROM (<the filtered
    rows>))``, evaluated once), so a page costs one query instead of a COUNT then the page.
    (A window ``COUNT(*) OVER ()`` would read every matching row in full instead of the page's
    rows from the index.) The rows must be dicts (a ``values()`` queryset); the count column
    is taken out of them. Other querysets, and those whose rows are not plain rows (DISTINCT,
    GROUP BY, UNION…), are paginated the usual way.

    Same pages, counts and errors as Django's paginator: an empty page past the first one is
    past the end (``EmptyPage``), since any page up to the last holds rows.
    """

    count_column = "_page_total"

    def page(self, number):
        if "count" in self.__dict__ or not self._plain_rows():
            return super().page(number)
        number = self._validate_without_count(number)
        bottom = (number - 1) * self.per_page
        counted = self.object_list.annotate(**{self.count_column: self._count_of(self.object_list)})
        rows = list(counted[bottom:bottom + self.per_page])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        self.count = rows[0][self.count_column] if rows else 0
        for row in rows:
            del row[self.count_column]
        return self._get_page(rows, number, self)

    @staticmethod
    def _count_of(queryset: QuerySet) -> RawSQL:
        keys = queryset.order_by().values("pk").query
        sql, params = keys.get_compiler(using=queryset.db).as_sql()
        return RawSQL(f"SELECT COUNT(*) FROM ({sql}) counted_rows", params, output_field=IntegerField())

    def _plain_rows(self) -> bool:
        queryset = self.object_list
        if not isinstance(queryset, QuerySet) or queryset._iterable_class is not ValuesIterable:
            return False
        query = queryset.query
        return not (query.distinct or query.combinator or query.group_by or query.is_sliced)

    def _validate_without_count(self, number) -> int:
        # Django's checks, in Django's order, up to the one that needs the count.
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"])
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number


class CountWithPagePagination(InstallerPagination):
    """``InstallerPagination`` reading the count with the page (see ``CountWithPagePaginator``)."""

    django_paginator_class = CountWithPagePaginator


class InstallerAPIMixin(IdempotentPostMixin):
    """Installer-only endpoint: 401 anonymous, 403 staff, throttled per token,
    ``Idempotency-Key`` honoured on POST, oversized bodies refused from Content-Length."""

    permission_classes = [IsInstaller]
    throttle_classes = [TokenRateThrottle]
    pagination_class = InstallerPagination
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]

    def initial(self, request, *args, **kwargs):
        if request.method in ("POST", "PUT", "PATCH"):
            check_declared_length(request)
        super().initial(request, *args, **kwargs)
