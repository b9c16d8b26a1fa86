"""Business actions on accounts. One function per action, keyword-only."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from rest_framework.authtoken.models import Token

from networks.models import Authority
from recovery.models import User

_LANGUAGES = {code for code, _name in settings.LANGUAGES}


def normalise_language(code: str | None) -> str:
    """An unknown or empty language code falls back to English."""
    return code if code in _LANGUAGES else "en"


@transaction.atomic
def user_set_language(*, user: User, language: str | None) -> str:
    """Remember the user's language; returns the code actually stored."""
    user.language = normalise_language(language)
    user.save(update_fields=["language"])
    return user.language


@transaction.atomic
def user_set_preferences(*, user: User, language: str, time_zone: str) -> None:
    user.language = normalise_language(language)
    user.time_zone = time_zone
    user.full_clean(validate_unique=False, exclude=["password", "roles", "authority"])
    user.save(update_fields=["language", "time_zone"])


@transaction.atomic
def api_token_create(*, user: User) -> Token:
    """Replace any token the user has with a new one; the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


@transaction.atomic
def api_token_revoke(*, user: User) -> bool:
    deleted, _detail = Token.objects.filter(user=user).delete()
    return bool(deleted)


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    authority: Authority | None,
    roles: list[str],
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    language: str = "en",
    time_zone: str = "UTC",
) -> User:
    """Create a user. System administrators get access to the Django admin, nobody else."""
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        authority=authority,
        roles=list(dict.fromkeys(roles)),
        language=normalise_language(language),
        time_zone=time_zone,
    )
    user.is_staff = "system_admin" in user.roles
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    return user
