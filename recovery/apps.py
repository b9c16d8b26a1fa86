from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class RecoveryConfig(AppConfig):
    default = True
    name = "recovery"
    verbose_name = _("Accounts")


class RecoveryAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "recovery.admin_site.RecoveryAdminSite"
