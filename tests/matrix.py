"""Plumbing shared by the permission matrices of `requests_mla` and of the rest of the project.

Enumerating URLs from the resolver, sending one request, running one cell in a
rolled-back savepoint, and keeping a world built once for a whole module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from recovery.models import User

HTTP_METHODS = ("get", "post", "put", "patch", "delete")


def walk(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """(namespace, full route, pattern) for every URL pattern, nested includes flattened."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace, route, pattern


def readable(route: str) -> str:
    """`api/v1/^cases/(?P<pk>[^/.]+)/$` → `api/v1/cases/<pk>/`."""
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    return route.replace("^", "").replace("$", "")


def is_format_twin(route: str) -> bool:
    """DRF's `.json`-style suffix routes: the same view under the same rules."""
    return "<format>" in readable(route) or "<drf_format_suffix:format>" in route


def api_routes(*prefixes: str) -> dict[str, URLPattern]:
    """Every API route under one of `prefixes`, format-suffix twins left out."""
    return {
        readable(route): pattern
        for _namespace, route, pattern in walk()
        if readable(route).startswith(prefixes) and not is_format_twin(route)
    }


def actions(pattern: URLPattern) -> dict[str, str]:
    """HTTP method → action name, for a DRF viewset route or a class-based view."""
    callback = pattern.callback
    mapped = getattr(callback, "actions", None)
    if mapped:
        return {method.upper(): action for method, action in mapped.items()}
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    return {m.upper(): m for m in HTTP_METHODS if view_class and hasattr(view_class, m)}


@dataclass
class Outcome:
    """Problems found while running cells; the test fails once, listing all of them."""

    problems: list[str] = field(default_factory=list)

    def check(self, condition: bool, message: str) -> None:
        if not condition:
            self.problems.append(message)


def send(client: Client, method: str, url: str, data: dict[str, Any], *, api: bool = False) -> Any:
    if method == "GET":
        return client.get(url)
    if method == "POST":
        if api:
            return client.post(url, data, content_type="application/json")
        return client.post(url, data)
    if method in ("PUT", "PATCH"):
        return getattr(client, method.lower())(url, data, content_type="application/json")
    return client.delete(url)


def isolated(run: Callable[[], None]) -> None:
    """Run one cell, then roll the database back to the world as built."""
    with transaction.atomic():
        run()
        transaction.set_rollback(True)


def signed_in(client: Client, user: User | None) -> Client:
    """`client` with its cookies cleared, then signed in as `user` (or nobody).

    One `Client` per world: each new `Client` loads the middleware again, and
    WhiteNoise then walks the whole of STATIC_ROOT.
    """
    client.cookies = SimpleCookie()
    if user is not None:
        client.force_login(user)
    return client


@contextmanager
def kept_for_module(django_db_blocker: Any) -> Iterator[None]:
    """Database access for a module-scoped fixture, rolled back when the module is done.

    Each test's own transaction (pytest-django's `db`) then nests as a savepoint
    inside this one, so the world is built once and every test meets it as built.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return str(response.content.decode("utf-8", "replace"))
