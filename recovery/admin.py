from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from recovery.models import User

# API tokens are secrets of their owners: they manage them on their profile page.
admin.site.unregister(TokenProxy)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "authority", "roles", "is_active"]
    list_filter = ["is_active", "authority__country"]
    search_fields = ["username", "first_name", "last_name", "email"]
    list_select_related = ["authority"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ())[:2],
        (_("Authority and roles"), {"fields": ("authority", "roles", "language", "time_zone")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "last_login", "date_joined")}),
    )
