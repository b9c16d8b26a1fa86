"""Who may see which networks records.

Authorities are the public directory of competent national authorities: every
signed-in user may read it. Networks and focal-point nominations arrive with
their own rules.
"""

from __future__ import annotations

from networks.models import Authority, AuthorityQuerySet
from recovery.http import AnyUser


def authorities_for_user(user: AnyUser) -> AuthorityQuerySet:
    if not user.is_authenticated:
        return Authority.objects.none()
    return Authority.objects.all()
