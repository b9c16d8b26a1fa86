"""CSV downloads shared by the registers that can be exported."""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpResponse


def csv_download(filename: str) -> tuple[HttpResponse, Any]:
    """An attachment response and a csv writer on it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # spreadsheet programs read UTF-8 only after a byte-order mark
    return response, csv.writer(response)


def write_withheld_note(writer: Any, message: str) -> None:
    """Say, after the rows, what was left out under its handling conditions (UNCAC 46(5))."""
    writer.writerow([])
    writer.writerow([message])
