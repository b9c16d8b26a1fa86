"""factory_boy factories. Users are made through the service, as in production."""

from __future__ import annotations

import factory

from networks.models import Authority, AuthorityKind
from recovery import services
from recovery.models import Role, User

PASSWORD = "correct-horse-battery-staple"


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ("country", "code")

    name = factory.Sequence(lambda n: f"Authority {n}")
    code = factory.Sequence(lambda n: f"AUTH{n}")
    kind = AuthorityKind.ANTI_CORRUPTION
    country = "NG"


def make_user(
    username: str,
    *,
    authority: Authority | None = None,
    roles: list[str] | None = None,
    language: str = "en",
    time_zone: str = "UTC",
) -> User:
    return services.user_create(
        username=username,
        password=PASSWORD,
        authority=authority or AuthorityFactory(),
        roles=roles if roles is not None else [Role.CASE_OFFICER],
        first_name=username.capitalize(),
        email=f"{username}@example.org",
        language=language,
        time_zone=time_zone,
    )
