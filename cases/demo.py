"""Fictional demo cases. Every person and company here is invented."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cases import services
from cases.models import Case, HandlingCode, RelationshipKind, ShareRole, SubjectKind
from networks.models import Authority
from recovery.models import User


def load_cases() -> list[str]:
    """Create the demo cases once (idempotent on the case title). Returns their references."""
    users = {u.username: u for u in User.objects.select_related("authority")}
    if Case.objects.filter(title__startswith="Operation Delta Reed").exists():
        return list(Case.objects.order_by("reference").values_list("reference", flat=True))
    amara, lukas, james, yasmin = users["amara"], users["lukas"], users["james"], users["yasmin"]
    today = timezone.localdate()

    # 1. Nigeria: embezzled oil revenue laundered through Switzerland and the UK.
    delta = services.case_create(
        user=amara,
        title="Operation Delta Reed: diverted crude-oil revenue",
        summary=(
            "Proceeds of embezzlement by a former state governor, laundered through shell companies "
            "in the British Virgin Islands into accounts in Geneva and London property."
        ),
        offences=["17", "23", "20"],
        stage="investigation",
        proceeding_type="criminal",
        opened_on=dt.date(today.year, 2, 14),
        jurisdictions=[
            ("NG", "origin"),
            ("CH", "asset_location"),
            ("GB", "asset_location"),
            ("VG", "transit"),
        ],
    )
    governor = services.subject_create(
        user=amara,
        case=delta,
        kind=SubjectKind.NATURAL,
        name="Adebayo Okonkwo-Bello",
        aliases=["A. O. Bello", "Adebayo Bello"],
        date_of_birth=dt.date(1961, 5, 3),
        nationalities=["NG"],
        identifiers="Passport A01234567",
        pep_status="pep",
        pep_position="Governor of a Nigerian state",
        pep_country="NG",
        pep_from=dt.date(2011, 5, 29),
        pep_to=dt.date(2019, 5, 29),
    )
    spouse = services.subject_create(
        user=amara,
        case=delta,
        kind=SubjectKind.NATURAL,
        name="Folake Okonkwo-Bello",
        nationalities=["NG", "GB"],
        pep_status="family",
    )
    shell = services.subject_create(
        user=amara,
        case=delta,
        kind=SubjectKind.COMPANY,
        name="Riverbend Holdings Ltd",
        registration_number="BVI-1987654",
        incorporation_country="VG",
    )
    london = services.subject_create(
        user=amara,
        case=delta,
        kind=SubjectKind.COMPANY,
        name="Kensington Mews Property Ltd",
        registration_number="09876543",
        incorporation_country="GB",
    )
    nominee = services.subject_create(
        user=amara,
        case=delta,
        kind=SubjectKind.NATURAL,
        name="Marc Dubois",
        nationalities=["CH"],
    )
    services.relationship_create(
        user=amara,
        case=delta,
        source=governor,
        target=shell,
        kind=RelationshipKind.BENEFICIAL_OWNER,
        percentage=Decimal("100"),
    )
    services.relationship_create(
        user=amara, case=delta, source=nominee, target=shell, kind=RelationshipKind.NOMINEE
    )
    services.relationship_create(
        user=amara,
        case=delta,
        source=shell,
        target=london,
        kind=RelationshipKind.OWNS,
        percentage=Decimal("75"),
    )
    services.relationship_create(
        user=amara,
        case=delta,
        source=spouse,
        target=london,
        kind=RelationshipKind.OWNS,
        percentage=Decimal("25"),
    )
    services.relationship_create(
        user=amara, case=delta, source=spouse, target=governor, kind=RelationshipKind.FAMILY
    )
    services.note_add(
        user=amara,
        case=delta,
        body="Pre-MLA call with the Swiss Federal Office of Justice held; they suggest a formal request "
        "for bank records of two Geneva accounts.",
    )
    services.claim_add(
        user=amara,
        case=delta,
        claimant="Federal Republic of Nigeria, State Treasury",
        claimant_kind="victim",
        claim="Restitution of diverted oil revenue",
        amount=Decimal("48500000"),
        currency="USD",
        status="lodged",
    )
    services.case_member_set(by=amara, case=delta, user=users["chidi"], role="editor")
    # Shared with the Swiss prosecutor, no conditions.
    services.case_share(by=amara, case=delta, user=lukas, role=ShareRole.VIEWER)

    # 2. Switzerland: spontaneous information received from the UK under conditions (UNCAC 46(5), 56).
    tessin = services.case_create(
        user=lukas,
        title="Lake Lugano accounts: bribery of foreign officials",
        summary="Bank accounts in Lugano receiving consultancy fees traced to a defence procurement contract.",
        offences=["16", "23"],
        stage="intelligence",
        proceeding_type="criminal",
        opened_on=dt.date(today.year, 6, 2),
        jurisdictions=[("CH", "origin"), ("GB", "bribe_payer"), ("AE", "transit")],
        conditions=services.ConditionsInput(
            provider="National Crime Agency (United Kingdom)",
            provider_country="GB",
            provided_on=dt.date(today.year, 5, 28),
            codes=[HandlingCode.H1, HandlingCode.H2],
            confidential=True,
            confidential_until=today + dt.timedelta(days=180),
            purpose_restriction="Investigation of the Lugano accounts only (specialty, UNCAC 46(19))",
            text="Contact the NCA before any contact with the account holders.",
        ),
    )
    for name, aliases in (
        ("Мухаммад Ибрагимов", ["Muhammad Ibragimov", "Mohamed Ibrahimov"]),
        ("王建国", ["Wang Jianguo"]),
    ):
        services.subject_create(
            user=lukas, case=tessin, kind=SubjectKind.NATURAL, name=name, aliases=aliases
        )
    services.subject_create(
        user=lukas,
        case=tessin,
        kind=SubjectKind.COMPANY,
        name="Alpine Advisory SA",
        registration_number="CHE-123.456.789",
        incorporation_country="CH",
    )
    services.case_share(
        by=lukas,
        case=tessin,
        user=james,
        role=ShareRole.VIEWER,
        expires_at=timezone.now() + dt.timedelta(days=90),
        consent=services.ConsentInput(
            given_by="NCA International Anti-Corruption Coordination Centre",
            given_on=dt.date(today.year, 6, 10),
            reference="NCA/IACCC/2026/117",
        ),
    )
    services.settlement_add(
        user=lukas,
        case=tessin,
        concluded_on=dt.date(today.year, 3, 1),
        parties="Helvetic Defence Systems AG and the Office of the Attorney General",
        amount=Decimal("12000000"),
        currency="CHF",
        states_to_notify=["GB", "AE"],
    )

    # 3. Egypt: illicit enrichment, assets frozen abroad after 2011 administrative freezes.
    nile = services.case_create(
        user=yasmin,
        title="Nile Delta estates: illicit enrichment",
        summary="Real estate and company shares acquired by a former minister; administrative freezes abroad.",
        offences=["20", "19"],
        stage="confiscation",
        proceeding_type="ncb",
        opened_on=dt.date(today.year - 1, 11, 20),
        jurisdictions=[("EG", "origin"), ("CH", "asset_location"), ("GB", "asset_location")],
    )
    services.subject_create(
        user=yasmin,
        case=nile,
        kind=SubjectKind.NATURAL,
        name="محمد عبد الرحمن",
        aliases=["Mohamed Abdel Rahman"],
        pep_status="pep",
        pep_position="Former minister",
        pep_country="EG",
    )
    services.case_share(
        by=yasmin,
        case=nile,
        authority=Authority.objects.get(country="CH", code="FOJ"),
        role=ShareRole.VIEWER,
    )

    # 4. United Kingdom: a case nobody else sees (need to know).
    services.case_create(
        user=james,
        title="Thames Wharf: laundering through London property",
        summary="Purchases of London flats through nominee companies by a foreign official's associate.",
        offences=["23", "24"],
        stage="prosecution",
        proceeding_type="civil",
        opened_on=dt.date(today.year, 4, 8),
        jurisdictions=[("GB", "asset_location")],
    )
    services.case_link(
        user=amara, case=delta, other=Case.objects.get(title__startswith="Lake Lugano")
    )
    return list(Case.objects.order_by("reference").values_list("reference", flat=True))
