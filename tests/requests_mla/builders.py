"""Requests and disclosures for the MLA tests, made through the services as in production."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cases.services import ConditionsInput
from recovery.models import User
from requests_mla import services
from requests_mla.models import (
    Correspondence,
    CorrespondenceDirection,
    CorrespondenceKind,
    Direction,
    MlaRequest,
)


def incoming(user: User, **fields: Any) -> MlaRequest:
    """A request from Nigeria logged in the register of `user`'s authority (Switzerland's FOJ)."""
    values: dict[str, Any] = {
        "direction": Direction.INCOMING,
        "requesting_state": "NG",
        "requested_state": "CH",
        "requesting_authority": "Federal Ministry of Justice, Central Authority Unit",
        "legal_basis": "uncac",
        "facts_summary": "Bank records of two Geneva accounts.",
        "assistance": [("records", "Statements 2012-2020.")],
    }
    values.update(fields)
    return services.mla_request_create(user=user, **values)


def consult(user: User, request: MlaRequest) -> Correspondence:
    """Record a consultation with the other State (UNCAC 46(26))."""
    return services.correspondence_add(
        user=user,
        request=request,
        kind=CorrespondenceKind.CONSULTATION,
        direction=CorrespondenceDirection.OUT,
        on=timezone.localdate(),
        summary="Video call with the requesting central authority.",
    )


def egyptian_conditions() -> ConditionsInput:
    return ConditionsInput(
        provider="Illicit Gains Authority (Egypt)",
        provider_country="EG",
        provided_on=dt.date(2026, 1, 15),
        codes=["H2"],
        confidential=True,
        confidential_until=dt.date(2026, 12, 31),
        purpose_restriction="Restraint proceedings only",
    )
