from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsMlaConfig(AppConfig):
    name = "requests_mla"
    verbose_name = _("Mutual legal assistance requests")
