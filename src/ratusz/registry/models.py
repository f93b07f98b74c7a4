"""The register of Polish local-government units (JST) and of their official social-media profiles."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    GMINA = "gmina", _("gmina")
    POWIAT = "powiat", _("powiat")
    WOJEWODZTWO = "wojewodztwo", _("województwo")


SIZE_CLASSES = ["<5k", "5-10k", "10-20k", "20-50k", "50-100k", "100-200k", "200-500k", ">=500k"]
VOIVODESHIPS = [
    ("02", "dolnośląskie"),
    ("04", "kujawsko-pomorskie"),
    ("06", "lubelskie"),
    ("08", "lubuskie"),
    ("10", "łódzkie"),
    ("12", "małopolskie"),
    ("14", "mazowieckie"),
    ("16", "opolskie"),
    ("18", "podkarpackie"),
    ("20", "podlaskie"),
    ("22", "pomorskie"),
    ("24", "śląskie"),
    ("26", "świętokrzyskie"),
    ("28", "warmińsko-mazurskie"),
    ("30", "wielkopolskie"),
    ("32", "zachodniopomorskie"),
]


class Unit(models.Model):
    """A JST: gmina, powiat (incl. miasto na prawach powiatu) or województwo, keyed by its TERYT code."""

    teryt = models.CharField(_("kod TERYT"), max_length=7, primary_key=True)
    name = models.CharField(_("nazwa"), max_length=200)
    search_name = models.CharField(max_length=200, db_index=True, editable=False)
    level = models.CharField(_("poziom"), max_length=16, choices=Level.choices, db_index=True)
    kind = models.CharField(_("rodzaj"), max_length=40, db_index=True)
    woj_code = models.CharField(_("kod województwa"), max_length=2, db_index=True)
    woj_name = models.CharField(_("województwo"), max_length=40)
    powiat_code = models.CharField(_("kod powiatu"), max_length=4, blank=True)
    powiat_name = models.CharField(_("powiat"), max_length=80, blank=True)
    city_with_powiat_rights = models.BooleanField(_("miasto na prawach powiatu"), default=False)
    population = models.PositiveIntegerField(_("ludność"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("rok danych o ludności"), null=True, blank=True)
    town_population = models.PositiveIntegerField(_("ludność miasta"), null=True, blank=True)
    size_class = models.CharField(_("klasa wielkości"), max_length=10, blank=True, db_index=True)
    area_km2 = models.PositiveIntegerField(_("powierzchnia [km²]"), null=True, blank=True)
    office_name = models.CharField(_("urząd"), max_length=200, blank=True)
    website = models.CharField(_("strona urzędu"), max_length=200, blank=True)
    zmp_member = models.BooleanField(_("członek ZMP"), default=False)
    register_date = models.DateField(_("stan rejestru na"), null=True, blank=True)
    note = models.TextField(_("uwagi"), blank=True)

    class Meta:
        verbose_name = _("jednostka samorządu (JST)")
        verbose_name_plural = _("jednostki samorządu (JST)")
        ordering = ["teryt"]
        indexes = [models.Index(fields=["level", "kind", "size_class"], name="unit_peer_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind}, {self.teryt})"


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    YOUTUBE = "youtube", "YouTube"
    OTHER = "other", _("inna")


class ProfileRole(models.TextChoices):
    OFFICIAL = "official", _("oficjalny profil jednostki")
    HEAD = "head", _("profil włodarza")
    COUNCIL = "council", _("rada")
    INSTITUTION = "institution", _("instytucja samorządowa")
    OTHER = "other", _("inny")


class ConnectionState(models.TextChoices):
    NOT_CONNECTED = "not_connected", _("niepodłączony")
    OK = "ok", _("podłączony")
    NEEDS_RECONNECT = "needs_reconnect", _("wymaga ponownego podłączenia")


class Profile(models.Model):
    """An official social-media profile (page, account, channel) of a unit."""

    platform = models.CharField(_("platforma"), max_length=16, choices=Platform.choices)
    platform_id = models.CharField(_("identyfikator na platformie"), max_length=100, blank=True)
    handle = models.CharField(_("nazwa w adresie"), max_length=200, blank=True)
    url = models.URLField(_("adres"), max_length=500, blank=True)
    name = models.CharField(_("nazwa"), max_length=300)
    unit = models.ForeignKey(
        Unit, verbose_name=_("jednostka"), on_delete=models.PROTECT, related_name="profiles", null=True, blank=True
    )
    role = models.CharField(_("rola"), max_length=16, choices=ProfileRole.choices, default=ProfileRole.OFFICIAL)
    active = models.BooleanField(_("aktywny"), default=True)
    connection_state = models.CharField(
        _("połączenie"), max_length=20, choices=ConnectionState.choices, default=ConnectionState.NOT_CONNECTED
    )
    access_token_encrypted = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("profil")
        verbose_name_plural = _("profile")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "platform_id"],
                condition=~models.Q(platform_id=""),
                name="profile_platform_id_unique",
            ),
            models.UniqueConstraint(
                fields=["platform", "handle"],
                condition=~models.Q(handle=""),
                name="profile_handle_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_platform_display()})"
