"""Searching cases by names in any script, their variants, aliases and references.

Search only ever ranks cases the user may already see.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import Case, Subject
from tests.conftest import Cast


def found(client: Client, case: Case, query: str) -> bool:
    """Whether searching `query` lists `case` (a link to it: the query itself is echoed in the form)."""
    page = client.get(reverse("cases:list"), {"q": query})
    assert page.status_code == 200
    return f'href="{reverse("cases:detail", args=[case.pk])}"' in page.text


@pytest.fixture
def ibragimov(cast: Cast) -> Case:
    case = services.case_create(user=cast.alice, title="Oil licence proceeds")
    services.subject_create(user=cast.alice, case=case, kind="natural", name="Мухаммад Ибрагимов")
    return case


@pytest.mark.parametrize("query", ["Muhammad", "Mohamed", "Мухаммад", "Muhammad Ibragimov"])
def test_a_cyrillic_name_is_found_by_its_latin_variants_and_itself(
    cast: Cast, ibragimov: Case, query: str
) -> None:
    assert found(cast.client(cast.alice), ibragimov, query)


@pytest.mark.parametrize("query", ["Wang Jianguo", "王建国", "wangjianguo"])
def test_a_chinese_name_is_found_in_pinyin_and_in_hanzi(cast: Cast, query: str) -> None:
    case = services.case_create(user=cast.alice, title="Shenzhen property")
    services.subject_create(user=cast.alice, case=case, kind="natural", name="王建国")
    assert found(cast.client(cast.alice), case, query)


def test_a_subject_is_found_by_an_alias(cast: Cast) -> None:
    case = services.case_create(user=cast.alice, title="Offshore vehicles")
    services.subject_create(
        user=cast.alice,
        case=case,
        kind="company",
        name="Zenith Petroleum Holdings SA",
        aliases=["Kestrel Offshore"],
    )
    assert found(cast.client(cast.alice), case, "Kestrel Offshore")


def test_a_case_is_found_by_its_reference(cast: Cast, ibragimov: Case) -> None:
    other = services.case_create(user=cast.alice, title="Unrelated matter")
    client = cast.client(cast.alice)
    assert found(client, ibragimov, ibragimov.reference)
    # Same authority, same year: the reference differs only in its number.
    assert not found(client, other, ibragimov.reference)


def test_an_arabic_name_is_stored_as_written_and_found_by_itself(cast: Cast) -> None:
    case = services.case_create(user=cast.alice, title="Gulf accounts")
    subject = services.subject_create(user=cast.alice, case=case, kind="natural", name="محمد")
    subject.refresh_from_db()
    assert subject.name == "محمد"
    client = cast.client(cast.alice)
    assert found(client, case, "محمد")
    assert "محمد" in client.get(reverse("cases:subjects", args=[case.pk])).text


def test_an_emoji_in_a_title_is_stored_and_shown(cast: Cast) -> None:
    case = services.case_create(user=cast.alice, title="Operation 🐍 Viper")
    assert Case.objects.get(pk=case.pk).title == "Operation 🐍 Viper"
    client = cast.client(cast.alice)
    assert "Operation 🐍 Viper" in client.get(reverse("cases:detail", args=[case.pk])).text
    assert found(client, case, "Viper")


def test_search_never_returns_a_case_the_user_may_not_see(cast: Cast, ibragimov: Case) -> None:
    bob = cast.client(cast.bob)
    for query in ("Muhammad", "Мухаммад", ibragimov.reference, "Oil licence"):
        assert not found(bob, ibragimov, query), query
        hits = bob.get(reverse("cases:autocomplete"), {"q": query}).json()["results"]
        assert hits == [], query
    # Alice, who leads it, finds it with the same words.
    assert found(cast.client(cast.alice), ibragimov, "Muhammad")


def test_the_subjects_of_another_case_do_not_leak_into_search(cast: Cast, ibragimov: Case) -> None:
    mine = services.case_create(user=cast.bob, title="Bob's own matter")
    services.subject_create(user=cast.bob, case=mine, kind="natural", name="Mohamed Ali")
    bob = cast.client(cast.bob)
    assert found(bob, mine, "Mohamed")
    assert not found(bob, ibragimov, "Mohamed")
    assert not Subject.objects.filter(case=mine, name__contains="Ибрагимов").exists()
