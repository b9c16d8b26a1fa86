"""The Django admin is for system administrators only.

Every ModelAdmin registered on this site, including third-party ones, is
wrapped so that its permissions follow the system administrator role rather
than Django's global model permissions. Admins of confidential models must
still take their queryset from the access module (system administrators see
no case content there).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def _is_system_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and user.is_active and user.is_staff and user.is_system_admin)


class SystemAdminOnlyMixin:
    def has_module_permission(self, request: HttpRequest) -> bool:
        return _is_system_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_system_admin(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _is_system_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_system_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_system_admin(request)


class RecoveryAdminSite(admin.AdminSite):
    site_header = _("Asset recovery case manager: administration")
    site_title = _("Administration")
    index_title = _("System administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return _is_system_admin(request)

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, SystemAdminOnlyMixin):
            base = type(
                base.__name__, (SystemAdminOnlyMixin, base), {"__module__": base.__module__}
            )
        super().register(model_or_iterable, base, **options)
