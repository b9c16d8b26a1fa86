"""Views shared by the whole application: dashboard, profile, language, health."""

from __future__ import annotations

import logging

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from rest_framework.authtoken.models import Token

from recovery import services
from recovery.forms import PreferencesForm
from recovery.http import AuthedRequest

logger = logging.getLogger(__name__)


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    from cases.access import cases_for_user

    visible = cases_for_user(request.user)
    recent = visible.select_related("owning_authority").order_by("-updated_at")[:8]
    return render(request, "home.html", {"case_count": visible.count(), "recent_cases": recent})


@login_required
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.user_set_preferences(user=user, **form.cleaned_data)
            messages.success(request, _("Your preferences were saved."))
            response = redirect("profile")
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                user.language,
                samesite="Lax",
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=True,
            )
            return response
    else:
        form = PreferencesForm(initial={"language": user.language, "time_zone": user.time_zone})
    token = Token.objects.filter(user=user).first()
    new_token = request.session.pop("new_api_token", None)
    return render(request, "profile.html", {"form": form, "token": token, "new_token": new_token})


@login_required
@require_POST
def token_create(request: AuthedRequest) -> HttpResponse:
    token = services.api_token_create(user=request.user)
    # Shown once, on the next page only.
    request.session["new_api_token"] = token.key
    messages.success(
        request, _("A new API token was created. Copy it now: it will not be shown again.")
    )
    return redirect("profile")


@login_required
@require_POST
def token_revoke(request: AuthedRequest) -> HttpResponse:
    if services.api_token_revoke(user=request.user):
        messages.success(request, _("Your API token was revoked."))
    return redirect("profile")


@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch language; remembered on the profile of a signed-in user and in a cookie."""
    language = services.normalise_language(request.POST.get("language"))
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
    )
    return response


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when PostgreSQL and Redis answer; 503 naming what is down."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure means "down"
        logger.exception("health check: database down")
        checks["database"] = "down"
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2
        )
        client.ping()
        checks["redis"] = "ok"
    except Exception:  # noqa: BLE001
        logger.exception("health check: redis down")
        checks["redis"] = "down"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "down", "checks": checks}, status=200 if healthy else 503
    )
