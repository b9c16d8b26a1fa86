"""The shared cast. Every test talks about the same people:

- alice: case officer at Nigeria's EFCC; leads cases.
- bob: case officer in alice's authority (a colleague, entitled to nothing by that alone).
- carol: central authority officer at Switzerland's Federal Office of Justice.
- dave: case officer in the United Kingdom, who must see nothing of alice's work.
- olga: auditor.
- sam: system administrator.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.test import Client

from networks.models import Authority, AuthorityKind
from recovery.models import Role, User
from tests.factories import PASSWORD, make_authority, make_user


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@dataclass
class Cast:
    efcc: Authority
    foj: Authority
    nca: Authority
    alice: User
    bob: User
    carol: User
    dave: User
    olga: User
    sam: User

    def client(self, user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def cast(db: None) -> Cast:
    efcc = make_authority(
        country="NG", code="EFCC", name="Economic and Financial Crimes Commission"
    )
    foj = make_authority(
        country="CH",
        code="FOJ",
        name="Federal Office of Justice",
        kind=AuthorityKind.CENTRAL_AUTHORITY,
    )
    nca = make_authority(
        country="GB", code="NCA", name="National Crime Agency", kind=AuthorityKind.LAW_ENFORCEMENT
    )
    return Cast(
        efcc=efcc,
        foj=foj,
        nca=nca,
        alice=make_user("alice", authority=efcc),
        bob=make_user("bob", authority=efcc),
        carol=make_user("carol", authority=foj, roles=[Role.CENTRAL_AUTHORITY_OFFICER]),
        dave=make_user("dave", authority=nca),
        olga=make_user("olga", authority=efcc, roles=[Role.AUDITOR]),
        sam=make_user("sam", authority=efcc, roles=[Role.SYSTEM_ADMIN]),
    )


@pytest.fixture
def password() -> str:
    return PASSWORD


def running_in_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}
