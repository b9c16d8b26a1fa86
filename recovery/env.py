"""Typed readers for environment variables.

Each helper fails loudly, naming the variable, when a value is missing or
malformed, so a misconfigured process refuses to start instead of running
with a guess.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")

_MISSING = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _read(name: str, default: object, parse: Callable[[str], T]) -> T:
    raw = os.environ.get(name)
    if raw is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"Environment variable {name} is required but not set.")
        return default  # type: ignore[return-value]
    try:
        return parse(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"Environment variable {name} is malformed: {exc}") from None


def env_str(name: str, default: object = _MISSING) -> str:
    return _read(name, default, str)


def env_bool(name: str, default: object = _MISSING) -> bool:
    def parse(raw: str) -> bool:
        value = raw.strip().lower()
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        raise ValueError(f"expected one of 1/0, true/false, yes/no, on/off, got {raw!r}")

    return _read(name, default, parse)


def env_int(name: str, default: object = _MISSING) -> int:
    def parse(raw: str) -> int:
        try:
            return int(raw.strip())
        except ValueError:
            raise ValueError(f"expected a whole number, got {raw!r}") from None

    return _read(name, default, parse)


def env_list(name: str, default: object = _MISSING) -> list[str]:
    return _read(name, default, lambda raw: [p.strip() for p in raw.split(",") if p.strip()])


def env_url(name: str, schemes: tuple[str, ...], default: object = _MISSING) -> str:
    def parse(raw: str) -> str:
        scheme = raw.split("://", 1)[0] if "://" in raw else ""
        if scheme not in schemes:
            raise ValueError(
                f"expected a URL starting with {' or '.join(s + '://' for s in schemes)}"
            )
        return raw

    return _read(name, default, parse)
