"""Users and their roles.

Every user belongs to an authority and holds one or more roles. Roles say what
a user may do in general; what a user may *see* of confidential records is
decided per object by the access modules.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from recovery.fields import ChoiceArrayField


class Role(models.TextChoices):
    CASE_OFFICER = "case_officer", _("Case officer")
    CENTRAL_AUTHORITY_OFFICER = "central_authority_officer", _("Central authority officer")
    NETWORK_ADMIN = "network_admin", _("Network administrator")
    AUDITOR = "auditor", _("Auditor")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone: %(tz)s"), params={"tz": value})


class User(AbstractUser):
    """A practitioner. `authority` is required for everyone but bootstrap superusers."""

    authority = models.ForeignKey(
        "networks.Authority",
        verbose_name=_("authority"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    roles = ChoiceArrayField(
        models.CharField(max_length=40, choices=Role.choices),
        verbose_name=_("roles"),
        default=list,
        blank=True,
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in self.roles if r in Role.values]

    @property
    def is_system_admin(self) -> bool:
        return self.is_active and Role.SYSTEM_ADMIN in self.roles
