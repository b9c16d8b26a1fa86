"""The register sorts as a central authority officer needs it."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.conftest import Cast
from tests.requests_mla.builders import incoming


def test_register_sorts_by_the_suggested_deadline_with_undated_requests_last(cast: Cast) -> None:
    today = timezone.localdate()
    late = incoming(
        cast.carol, suggested_deadline=today + dt.timedelta(days=30), deadline_reason="Hearing"
    )
    undated = incoming(cast.carol)
    soon = incoming(
        cast.carol,
        suggested_deadline=today + dt.timedelta(days=2),
        deadline_reason="Freeze expires",
    )
    page = cast.client(cast.carol).get(reverse("requests_mla:register"), {"sort": "deadline"})
    order = [r.pk for r in page.context["page"]]
    assert order == [soon.pk, late.pk, undated.pk]


def test_register_puts_urgent_requests_first(cast: Cast) -> None:
    ordinary = incoming(cast.carol)
    urgent = incoming(cast.carol, urgent=True, urgency_reason="Sale of the property next week")
    page = cast.client(cast.carol).get(reverse("requests_mla:register"), {"sort": "urgent"})
    assert [r.pk for r in page.context["page"]] == [urgent.pk, ordinary.pk]


def test_an_unknown_sort_falls_back_to_newest_first(cast: Cast) -> None:
    first = incoming(cast.carol)
    second = incoming(cast.carol)
    page = cast.client(cast.carol).get(reverse("requests_mla:register"), {"sort": "drop table"})
    assert page.status_code == 200
    assert [r.pk for r in page.context["page"]] == [second.pk, first.pk]
