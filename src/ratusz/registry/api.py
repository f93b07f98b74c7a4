"""API: units and profiles of the register."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from ratusz.registry import services

router = Router(tags=["registry"])


class UnitOut(Schema):
    teryt: str
    name: str
    level: str
    kind: str
    woj_name: str
    powiat_name: str
    population: int | None
    size_class: str


class ProfileOut(Schema):
    id: int
    platform: str
    name: str
    url: str
    role: str
    unit_id: str | None


@router.get("/units", response=list[UnitOut])
def search_units(request: HttpRequest, q: str, limit: int = 20) -> list:
    """Units whose name contains `q` or whose TERYT code starts with it."""
    return list(services.find_units(q, limit=min(limit, 200)))


@router.get("/units/{teryt}", response=UnitOut)
def unit_detail(request: HttpRequest, teryt: str):
    """One unit by TERYT code."""
    return services.get_unit(teryt)


@router.get("/units/{teryt}/peers", response=list[UnitOut])
def unit_peers(request: HttpRequest, teryt: str) -> list:
    """Peers: same level, kind and size class."""
    return list(services.peers(services.get_unit(teryt)))


@router.get("/units/{teryt}/profiles", response=list[ProfileOut])
def unit_profiles(request: HttpRequest, teryt: str) -> list:
    """Registered profiles of a unit."""
    return list(services.get_unit(teryt).profiles.all())
