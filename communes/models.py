import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from .scope import ScopedQuerySet


class UnitKind(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("Centrally-run city")
    DISTRICT = "district", _("District")
    URBAN_DISTRICT = "urban_district", _("Urban district")
    TOWNSHIP = "township", _("District-level town")
    PROVINCIAL_CITY = "provincial_city", _("Provincial city")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    TOWN = "town", _("Town")
    SPECIAL_ZONE = "special_zone", _("Special zone")


class UnitLevel(models.TextChoices):
    """The tier a unit belongs to; since 1/7/2025 there is no district tier for new units."""

    PROVINCE = "province", _("Province level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")


LEVEL_OF_KIND = {
    UnitKind.PROVINCE: UnitLevel.PROVINCE,
    UnitKind.CITY: UnitLevel.PROVINCE,
    UnitKind.DISTRICT: UnitLevel.DISTRICT,
    UnitKind.URBAN_DISTRICT: UnitLevel.DISTRICT,
    UnitKind.TOWNSHIP: UnitLevel.DISTRICT,
    UnitKind.PROVINCIAL_CITY: UnitLevel.DISTRICT,
    UnitKind.COMMUNE: UnitLevel.COMMUNE,
    UnitKind.WARD: UnitLevel.COMMUNE,
    UnitKind.TOWN: UnitLevel.COMMUNE,
    UnitKind.SPECIAL_ZONE: UnitLevel.COMMUNE,
}

KIND_PREFIX = {
    UnitKind.PROVINCE: _("Province"),
    UnitKind.CITY: _("City"),
    UnitKind.DISTRICT: _("District"),
    UnitKind.URBAN_DISTRICT: _("Urban district"),
    UnitKind.TOWNSHIP: _("Town"),
    UnitKind.PROVINCIAL_CITY: _("City"),
    UnitKind.COMMUNE: _("Commune"),
    UnitKind.WARD: _("Ward"),
    UnitKind.TOWN: _("Town"),
    UnitKind.SPECIAL_ZONE: _("Special zone"),
}


# The Party committee of a unit, by the unit's kind, as letterheads name it.
PARTY_COMMITTEE = {
    UnitKind.PROVINCE: _("Provincial Party committee"),
    UnitKind.CITY: _("City Party committee"),
    UnitKind.DISTRICT: _("District Party committee"),
    UnitKind.URBAN_DISTRICT: _("Urban district Party committee"),
    UnitKind.TOWNSHIP: _("Town Party committee"),
    UnitKind.PROVINCIAL_CITY: _("City Party committee"),
}


# The symbol of a unit's Party committee in document numbers (…-KH/TU, …-KH/HU, …-KH/ĐU).
PARTY_SYMBOL = {
    UnitKind.PROVINCE: "TU",
    UnitKind.CITY: "TU",
    UnitKind.DISTRICT: "HU",
    UnitKind.URBAN_DISTRICT: "QU",
    UnitKind.TOWNSHIP: "TU",
    UnitKind.PROVINCIAL_CITY: "TU",
}


def kinds_at_level(level) -> list[str]:
    """The unit kinds of a tier: for the commune level, communes, wards, towns, special zones."""
    return [kind for kind, lvl in LEVEL_OF_KIND.items() if lvl == level]


class UnitQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    unit_lookup = ""

    def active(self):
        return self.filter(is_active=True)

    def at_level(self, level):
        return self.filter(kind__in=kinds_at_level(level))


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    def get_queryset(self):
        # treebeard's manager builds its own queryset class; keep ours, in tree order.
        return UnitQuerySet(self.model, using=self._db).order_by("path")


class AdministrativeUnit(MP_Node):
    """A province, district, commune, ward or town, in a tree of any depth.

    A unit ended by a reorganisation keeps its row (inactive, with the day it ended and its
    `Succession` rows), so records made under the old name stay reportable under it and are
    seen by its successors.
    """

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=UnitKind.choices)
    code = models.CharField(
        _("official code"), max_length=16, unique=True, help_text=_("The statistics office code.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("The day a reorganisation ended the unit; its records stay under its name."),
    )
    # The paths of the units this one succeeded, and of those its units below succeeded, kept
    # by the reorganisation service (communes/services.py) with no path covered by another:
    # scope reads them with one range of paths per entry (scope.subtree_range), on the path index.
    inherited_paths = models.JSONField(
        _("inherited paths"), default=list, blank=True, editable=False
    )

    # No node_order_by: children keep the order they were added in (or moved to in the admin),
    # the same on every database, whatever its collation does with Vietnamese letters.
    objects = UnitManager()

    class Meta:
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")

    def __str__(self):
        return self.full_name

    @property
    def full_name(self):
        return f"{KIND_PREFIX[self.kind]} {self.name}"

    @property
    def in_sentence(self):
        """The name as it reads inside a sentence: "xã Dũng Nghĩa", not "Xã Dũng Nghĩa"."""
        return f"{str(KIND_PREFIX[self.kind]).lower()} {self.name}"

    @property
    def party_committee(self):
        return PARTY_COMMITTEE.get(self.kind, _("Party committee"))

    @property
    def party_symbol(self) -> str:
        """Đảng ủy of a commune or ward signs …/ĐU; the committees above have their own."""
        return PARTY_SYMBOL.get(self.kind, "ĐU")

    @property
    def level(self):
        return LEVEL_OF_KIND[self.kind]

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("communes:unit-detail", args=[self.pk])

    def subtree(self):
        """This unit, every unit below it and the units they succeeded, in one indexed query."""
        return AdministrativeUnit.objects.within(self)

    def lineage_paths(self) -> list[str]:
        """The paths of this unit and of every unit above it, top first."""
        return [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]

    def is_within(self, other) -> bool:
        return self.path.startswith(other.path)

    def predecessors_until(self, day: datetime.date) -> dict[datetime.date, list]:
        """The units this one succeeded after `day`, by effective date: a period starting on
        `day` counts their records too, and a report says so."""
        found = {}
        links = self.predecessions.filter(effective_on__gt=day).select_related("predecessor")
        for link in links.order_by("effective_on", "predecessor__path"):
            found.setdefault(link.effective_on, []).append(link.predecessor)
        return found

    def heir(self):
        """This unit if it is active, else the unit that took it over (as a whole, or its only
        successor), followed through every later reorganisation."""
        unit = self
        while not unit.is_active:
            links = list(unit.successions.select_related("successor").order_by("share"))
            whole = [link for link in links if link.share == SuccessionShare.WHOLE]
            chosen = whole or (links if len(links) == 1 else [])
            if not chosen:
                break
            unit = chosen[0].successor
        return unit

    def scope_paths(self) -> list[str]:
        """The path prefixes this unit's users see: its own and the ones it inherited."""
        return [self.path, *self.inherited_paths]

    def office_holders_on(self, day: datetime.date):
        return (
            self.office_holders.holding_on(day)
            .select_related("person", "position")
            .order_by("position__order", "person__full_name")
        )


class SuccessionShare(models.TextChoices):
    WHOLE = "whole", _("whole")
    PART = "part", _("part")


class Succession(models.Model):
    """One predecessor → successor link of a reorganisation (a merger, a split), by decision."""

    predecessor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("predecessor"),
        on_delete=models.PROTECT,
        related_name="successions",
    )
    successor = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("successor"),
        on_delete=models.PROTECT,
        related_name="predecessions",
    )
    share = models.CharField(_("whole or part"), max_length=8, choices=SuccessionShare.choices)
    decision = models.CharField(_("decision"), max_length=100)
    effective_on = models.DateField(_("effective on"))

    class Meta:
        verbose_name = _("succession")
        verbose_name_plural = _("successions")
        ordering = ["effective_on", "successor", "predecessor"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="succession_unique_pair"
            ),
        ]

    def __str__(self):
        return (
            f"{self.predecessor} → {self.successor} ({self.decision}, {self.effective_on:%d/%m/%Y})"
        )


class HamletKind(models.TextChoices):
    VILLAGE = "village", _("Hamlet (thôn)")
    HAMLET = "hamlet", _("Hamlet (xóm)")
    RESIDENTIAL_GROUP = "residential_group", _("Residential group")


class HamletQuerySet(ScopedQuerySet):
    unit_lookup = "commune"


class Hamlet(models.Model):
    """A hamlet or residential group of a commune: where a resident who speaks comes from."""

    commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="hamlets",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=32, choices=HamletKind.choices, default=HamletKind.VILLAGE
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = HamletQuerySet.as_manager()

    class Meta:
        verbose_name = _("hamlet")
        verbose_name_plural = _("hamlets")
        ordering = ["commune", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="hamlet_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.commune.name})"


class Position(models.Model):
    """An office such as Bí thư or Chủ tịch UBND; administrators manage the list."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(
        _("order"), default=100, help_text=_("Lower numbers are listed first.")
    )
    is_head = models.BooleanField(
        _("head of Party committee or government"),
        default=False,
        help_text=_("Heads are the ones expected to chair dialogue sessions."),
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Person(models.Model):
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name


class OfficeHolderQuerySet(ScopedQuerySet):
    unit_lookup = "unit"

    def holding_on(self, day: datetime.date):
        """Who held the office on `day`: started on or before it and not yet ended."""
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)

    def current(self):
        return self.holding_on(timezone.localdate())


class OfficeHolder(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="offices"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="holders"
    )
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="office_holders",
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)

    objects = OfficeHolderQuerySet.as_manager()

    class Meta:
        verbose_name = _("office holder")
        verbose_name_plural = _("office holders")
        ordering = ["unit", "position__order", "-start_date"]
        indexes = [models.Index(fields=["unit", "start_date", "end_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="office_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.person} – {self.position} ({self.unit.name})"


class AgencyQuerySet(ScopedQuerySet):
    unit_lookup = "unit"
    agency_lookup = "pk"


class Agency(models.Model):
    """A body opinions are forwarded to, e.g. the district land and environment office."""

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="agencies",
        help_text=_("The unit whose government the agency belongs to."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    answer_days = models.PositiveSmallIntegerField(
        _("working days to answer"),
        null=True,
        blank=True,
        help_text=_(
            "Deadline for opinions forwarded to this agency; empty: the field's or default."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["unit", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="agency_unique_name"),
        ]

    def __str__(self):
        return self.name
