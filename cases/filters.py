"""List filters shared by the case list, its export and the API.

They narrow an already access-filtered queryset and never widen it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef

from cases.models import CaseJurisdiction, CaseMembership, CaseQuerySet, CaseShare
from cases.search import search_cases
from recovery.models import User


def apply_filters(visible: CaseQuerySet, user: User, data: dict[str, Any]) -> CaseQuerySet:
    cases = visible
    if data.get("stage"):
        cases = cases.filter(stage=data["stage"])
    if data.get("offence"):
        cases = cases.filter(offences__contains=[data["offence"]])
    if data.get("jurisdiction"):
        cases = cases.filter(
            Exists(
                CaseJurisdiction.objects.filter(case=OuterRef("pk"), country=data["jurisdiction"])
            )
        )
    if data.get("pep"):
        cases = cases.filter(has_pep=True)
    if data.get("scope") == "mine":
        cases = cases.filter(Exists(CaseMembership.objects.filter(case=OuterRef("pk"), user=user)))
    elif data.get("scope") == "shared":
        cases = cases.exclude(
            Exists(CaseMembership.objects.filter(case=OuterRef("pk"), user=user))
        ).filter(Exists(CaseShare.objects.active().filter(case=OuterRef("pk"))))
    return cases


def search_or_list(
    visible: CaseQuerySet, user: User, data: dict[str, Any]
) -> tuple[CaseQuerySet, list[int] | None]:
    """The filtered cases, and when a search term is given, the ranked ids."""
    cases = apply_filters(visible, user, data)
    query = (data.get("q") or "").strip()
    if not query:
        return cases, None
    hits = search_cases(cases, query)
    return cases, [hit.case.pk for hit in hits]
