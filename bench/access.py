"""Benchmark: how fast are access-filtered case lists, counts, search and the MLA dashboard?

Builds (once, in its own database) a register of many cases with team and share
permission rows, then prints timings. Run with `make bench` (embedded services)
or with DATABASE_URL/REDIS_URL pointing at real servers. Figures, not assertions.

    BENCH_CASES=20000 make bench
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.contrib.auth.models import Permission  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from cases import access  # noqa: E402
from cases.models import Case, CaseMembership, CaseUserObjectPermission, Subject  # noqa: E402
from cases.search import search_cases, search_text  # noqa: E402
from networks.models import Authority  # noqa: E402
from recovery import services as accounts  # noqa: E402
from recovery.models import Role  # noqa: E402

N_CASES = int(os.environ.get("BENCH_CASES", "20000"))
N_USERS = 200
REPEAT = 20


def timed(label: str, fn: Callable[[], object]) -> None:
    fn()  # warm up
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    print(
        f"{label:<58} median {statistics.median(samples):7.2f} ms   p95 {sorted(samples)[int(REPEAT * 0.95) - 1]:7.2f} ms"
    )


def build() -> tuple[list, list]:
    authority = Authority.objects.create(
        name="Bench authority", code="BENCH", kind="anti_corruption", country="NG"
    )
    users = [
        accounts.user_create(
            username=f"bench{i}", password=None, authority=authority, roles=[Role.CASE_OFFICER]
        )
        for i in range(N_USERS)
    ]
    view = Permission.objects.get(content_type__app_label="cases", codename="view_case")
    cases = Case.objects.bulk_create(
        Case(
            reference=f"NG-BENCH-2026-{i:06d}",
            title=f"Bench case {i}",
            owning_authority=authority,
            lead_officer=users[i % N_USERS],
            search_text=search_text([f"Bench case {i}", f"Person {i} Ivanov"]),
        )
        for i in range(N_CASES)
    )
    CaseMembership.objects.bulk_create(
        CaseMembership(case=c, user=users[i % N_USERS], role="lead", added_by=users[i % N_USERS])
        for i, c in enumerate(cases)
    )
    CaseUserObjectPermission.objects.bulk_create(
        CaseUserObjectPermission(content_object=c, user=users[(i + k) % N_USERS], permission=view)
        for i, c in enumerate(cases)
        for k in range(5)  # lead plus four shares each
    )
    Subject.objects.bulk_create(
        Subject(case=c, name=f"Person {i} Ivanov") for i, c in enumerate(cases)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return users, cases


def main() -> None:
    config = setup_databases(verbosity=0, interactive=False)
    try:
        start = time.perf_counter()
        users, _cases = build()
        print(
            f"built {N_CASES} cases, {N_CASES * 5} permission rows in {time.perf_counter() - start:.1f} s"
        )
        user = users[7]
        visible = access.cases_for_user(user)
        timed(
            "first page of a user's case list (25 rows)",
            lambda: list(visible.order_by("-opened_on", "-id")[:25]),
        )
        timed("count of a user's visible cases", visible.count)
        timed(
            "detail: one case through the access query",
            lambda: access.get_case_for_user(user, _cases[7].pk),
        )
        timed(
            "permissions on one case (view/change/manage)",
            lambda: access.permissions_on(user, _cases[7]),
        )
        timed(
            "search 'Ivanov' within what the user may see", lambda: search_cases(visible, "Ivanov")
        )
        timed("search a transliteration 'Иванов'", lambda: search_cases(visible, "Иванов"))
    finally:
        teardown_databases(config, verbosity=0)


if __name__ == "__main__":
    main()
