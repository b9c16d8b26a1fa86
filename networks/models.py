"""Authorities, and later networks and focal points.

The authority is the unit a user belongs to: a central authority, a
prosecution service, an FIU. The directory of competent national
authorities (UNODC/SHERLOC) grows here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class AuthorityKind(models.TextChoices):
    CENTRAL_AUTHORITY = "central_authority", _("Central authority for mutual legal assistance")
    PROSECUTION = "prosecution", _("Prosecution service")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement agency")
    ANTI_CORRUPTION = "anti_corruption", _("Anti-corruption authority")
    ASSET_RECOVERY_OFFICE = "asset_recovery_office", _("Asset recovery office")
    FIU = "fiu", _("Financial intelligence unit")
    ASSET_MANAGEMENT_OFFICE = "asset_management_office", _("Asset management office")
    JUDICIARY = "judiciary", _("Court or judicial authority")
    MINISTRY = "ministry", _("Ministry")
    NETWORK_SECRETARIAT = "network_secretariat", _("Network secretariat")
    OTHER = "other", _("Other")


class AuthorityQuerySet(models.QuerySet["Authority"]):
    def in_country(self, code: str) -> AuthorityQuerySet:
        return self.filter(country=code)


class Authority(models.Model):
    """A national authority in one jurisdiction (ISO 3166 country)."""

    name = models.CharField(_("name"), max_length=200)
    code = models.SlugField(
        _("short code"),
        max_length=20,
        help_text=_("Used in case references, e.g. EFCC."),
    )
    kind = models.CharField(_("type"), max_length=40, choices=AuthorityKind.choices)
    country = CountryField(_("jurisdiction"))
    email = models.EmailField(_("e-mail"), blank=True)
    # Our own MLA targets (UNCAC 46(24)); empty: the deployment's defaults.
    mla_acknowledge_days = models.PositiveSmallIntegerField(
        _("acknowledge MLA requests within (days)"), null=True, blank=True
    )
    mla_first_response_days = models.PositiveSmallIntegerField(
        _("first response to MLA requests within (days)"), null=True, blank=True
    )
    # The group through which something is shared with every user of this authority.
    group = models.OneToOneField(
        "auth.Group",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="authority",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["country", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "code"], name="authority_code_unique_per_country"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country})"
