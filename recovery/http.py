"""Request types for views behind `login_required`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from recovery.models import User

AnyUser = User | AnonymousUser


class AuthedRequest(HttpRequest):
    """A request whose user is signed in (the view is behind `login_required`)."""

    user: User


def client_ip(request: HttpRequest | Any) -> str | None:
    """The address recorded in the access log (a DRF request works too)."""
    return request.META.get("REMOTE_ADDR")
