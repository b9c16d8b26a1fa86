from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from networks.access import authorities_for_user
from networks.models import AuthorityKind
from recovery.http import AuthedRequest


@login_required
def authority_list(request: AuthedRequest) -> HttpResponse:
    authorities = authorities_for_user(request.user)
    country = request.GET.get("country", "").upper()
    kind = request.GET.get("kind", "")
    if country:
        authorities = authorities.in_country(country)
    if kind in AuthorityKind.values:
        authorities = authorities.filter(kind=kind)
    page = Paginator(authorities, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/authority_list.html",
        {"page": page, "kinds": AuthorityKind.choices, "country": country, "kind": kind},
    )
