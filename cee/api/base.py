"""What every API view shares: throttle, body size limit, idempotency, list filters,
orderings and pagination. Who may call a view is the app's business: the installer API's
permission and mixin are ``accounts.api.permissions``."""
from __future__ import annotations

import copy
import re

import django_filters
from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import ValuesIterable
from django.http import QueryDict
from django_filters.fields import DateRangeField
from django_filters.filters import FilterMethod
from rest_framework import authentication, exceptions, status
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import BrowsableAPIRenderer

from cee.uploads import max_file_bytes, max_request_bytes, megabytes

from .exceptions import ApiError
from .idempotency import IdempotentPostMixin
from .renderers import FastJSONRenderer
from .throttling import TokenRateThrottle, failed_authentications

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


class _FieldsReadOnlyPerRequest(dict):
    """A filter form's ``base_fields``: a form copies them deeply on every instantiation, in
    case one form changes its fields; a filter form only reads them (validates the query
    parameters, renders them in the browsable API), so each form gets the same fields."""

    def __deepcopy__(self, memo):
        return dict(self)


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _refuse_what_the_schema_forbids(form):
    """A filter form's ``clean``: a date, a choice or a number left empty (``?submitted_before=``,
    ``?method=``) is refused, as the schema says, instead of meaning "no filter"; a date is
    AAAA-MM-JJ only (the form alone would also read 05/12/2026 or 2026-1-5). An empty text
    search stays allowed (the empty string is a text)."""
    cleaned = forms.Form.clean(form)
    for name, field in form.fields.items():
        if isinstance(field, forms.CharField):
            continue
        suffixes = getattr(field.widget, "suffixes", None)
        dates = isinstance(field, (forms.DateField, DateRangeField))
        for parameter in [f"{name}_{suffix}" for suffix in suffixes] if suffixes else [name]:
            for value in form.data.getlist(parameter):
                if not value.strip():
                    form.add_error(name, f"Le paramètre « {parameter} » est vide : donnez une valeur ou retirez-le.")
                elif dates and not ISO_DATE.fullmatch(value):
                    form.add_error(name, f"Le paramètre « {parameter} » attend une date AAAA-MM-JJ (reçu : « {value} »).")
    return cleaned


class InstallerFilterSet(django_filters.FilterSet):
    """A ``FilterSet`` built for a list request at a small cost: django-filter deep-copies the
    declared filters, then the form deep-copies its fields and widgets, on every request, about
    a third of the list's filtering time. The filters and fields depend on nothing but the
    declarations and are never changed by a request: each request gets shallow copies of the
    filters (each one's own ``parent``) and forms sharing one form class and its fields."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # django-filter's __init__ with shallow copies instead of copy.deepcopy(base_filters).
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, declared in self.base_filters.items():
            filter_ = copy.copy(declared)
            filter_.model = queryset.model
            filter_.parent = self
            if isinstance(filter_.__dict__.get("filter"), FilterMethod):
                filter_.filter = FilterMethod(filter_)  # calls the method of this filterset
            self.filters[name] = filter_

    def get_form_class(self):
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            form_class = super().get_form_class()
            form_class.base_fields = _FieldsReadOnlyPerRequest(form_class.base_fields)
            form_class.clean = _refuse_what_the_schema_forbids
            cls._form_class = form_class
        return cls._form_class


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
    """Pages of 25 rows; ``page_size`` from 1 to 100, else a 400 (empty, ``null``, ``2.5``,
    repeated: refused as the schema says, not replaced by the default). ``page`` is a number
    from 1 or ``last``; any other value, empty included, is a page that does not exist (404),
    as is a page past the last one."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        values = request.query_params.getlist(self.page_size_query_param)
        if not values:
            return self.page_size
        if len(values) == 1 and _whole_number(values[0]) and int(values[0]) <= self.max_page_size:
            return int(values[0])
        raise ApiError(
            status.HTTP_400_BAD_REQUEST, "invalid_pagination",
            f"Le paramètre « {self.page_size_query_param} » doit être un nombre entier de 1 à {self.max_page_size}, "
            "donné une seule fois.",
            {self.page_size_query_param: values},
        )

    def get_page_number(self, request, paginator):
        values = request.query_params.getlist(self.page_query_param)
        if not values:
            return 1
        if len(values) == 1 and values[0] in self.last_page_strings:
            return paginator.num_pages
        if len(values) == 1 and _whole_number(values[0]):
            return int(values[0])
        raise exceptions.NotFound()

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] = {"anyOf": [{"type": "integer", "minimum": 1}, {"type": "string", "enum": ["last"]}]}
                parameter["description"] = "Numéro de page (à partir de 1), ou « last » pour la dernière."
        return parameters


def _whole_number(value: str) -> bool:
    """A number from 1 up, in ASCII digits, no larger than a database OFFSET can hold."""
    return value.isascii() and value.isdigit() and 1 <= int(value) <= 10**12


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


class TokenAPIMixin(IdempotentPostMixin):
    """An API endpoint called with a token: throttled per token (failed authentications per
    address), ``Idempotency-Key`` honoured on POST, oversized bodies refused from
    Content-Length, paginated, rendered by orjson. Subclasses set ``permission_classes``."""

    throttle_classes = [TokenRateThrottle]
    pagination_class = InstallerPagination
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]

    def initial(self, request, *args, **kwargs):
        if request.method in ("POST", "PUT", "PATCH"):
            check_declared_length(request)
        super().initial(request, *args, **kwargs)

    def perform_authentication(self, request):
        failures, address = failed_authentications(), TokenRateThrottle().get_ident(request)
        if authentication.get_authorization_header(request) and failures.is_blocked(address):
            self.throttled(request, failures.wait())
        try:
            super().perform_authentication(request)
        except exceptions.AuthenticationFailed:
            failures.record(address)
            raise

    def check_permissions(self, request):
        # DRF checks permissions before throttles: an anonymous call got its 401 before the
        # anonymous rate could apply. Throttle it first (it is refused right after anyway).
        if not request.user or not request.user.is_authenticated:
            self.check_throttles(request)
        super().check_permissions(request)
