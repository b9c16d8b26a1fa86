"""API plumbing every app shares: keyset pagination and the one error format.

Kept apart from `recovery.api` because DRF imports these while it starts,
before drf-spectacular can be imported.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Pagination(CursorPagination):
    """Keyset pagination: deep pages cost the same as the first."""

    ordering = "-id"
    page_size_query_param = "page_size"
    max_page_size = 200


def _flatten(detail: Any) -> tuple[str, dict[str, list[str]]]:
    if isinstance(detail, dict):
        fields = {
            key: [str(m) for m in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
        message = fields.pop("non_field_errors", None)
        return (message[0] if message else _("The data you sent is not valid."), fields)
    if isinstance(detail, list):
        return (str(detail[0]) if detail else _("The data you sent is not valid."), {})
    return str(detail), {}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Every API error has one shape:

    ``{"error": {"status": 400, "code": "invalid", "message": "...", "fields": {...}}}``

    Forbidden and missing records both answer 404 (`Http404`) from the access modules.
    """
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, exceptions.APIException)
    codes = exc.get_codes()
    code = codes if isinstance(codes, str) else "invalid"
    message, fields = _flatten(exc.detail)
    response.data = {
        "error": {
            "status": response.status_code,
            "code": code,
            "message": message,
            "fields": fields,
        }
    }
    return response
