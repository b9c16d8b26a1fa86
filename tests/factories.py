"""factory_boy factories. Users are made through the service, as in production."""

from __future__ import annotations

from functools import cache

import factory
from django.contrib.auth.hashers import make_password

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


@cache
def _password_hash() -> str:
    # Argon2 is slow on purpose; hash the shared test password once per run.
    return make_password(PASSWORD)


def make_authority(**kwargs: object) -> Authority:
    authority: Authority = AuthorityFactory.create(**kwargs)
    return authority


def make_user(
    username: str,
    *,
    authority: Authority | None = None,
    roles: list[str] | None = None,
    language: str = "en",
    time_zone: str = "UTC",
) -> User:
    user = services.user_create(
        username=username,
        password=None,
        authority=authority or make_authority(),
        roles=roles if roles is not None else [Role.CASE_OFFICER],
        first_name=username.capitalize(),
        email=f"{username}@example.org",
        language=language,
        time_zone=time_zone,
    )
    user.password = _password_hash()
    user.save(update_fields=["password"])
    return user
