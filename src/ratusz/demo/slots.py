"""Which demo profiles exist: a fixed list of "profile slots" built from the real unit register.

Every unit gets an official Facebook profile; bigger units also get profiles of their head (wójt, burmistrz,
prezydent, starosta, marszałek), their council, municipal institutions, Instagram and YouTube accounts. The
list has about 10,000 slots (the national register of official profiles has ~6,000–10,000). A demo of scale
N takes 300·N slots by weighted sampling without replacement (bigger units and official profiles are
likelier), after a small coverage set that guarantees every voivodeship, level, kind, size class, role and
platform. Slot numbers are stable for a given register, so a slot's data depends only on the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ratusz.registry.models import SIZE_CLASSES, Platform, ProfileRole, Unit

# Institutions by level: (name in a city, name in a rural or urban-rural gmina).
GMINA_INSTITUTIONS = [
    ("Miejski Ośrodek Kultury", "Gminny Ośrodek Kultury"),
    ("Miejska Biblioteka Publiczna", "Gminna Biblioteka Publiczna"),
    ("Miejski Ośrodek Sportu i Rekreacji", "Gminny Ośrodek Sportu i Rekreacji"),
    ("Miejski Ośrodek Pomocy Społecznej", "Gminny Ośrodek Pomocy Społecznej"),
    ("Zarząd Dróg Miejskich", "Zakład Gospodarki Komunalnej"),
    ("Straż Miejska", "Straż Gminna"),
    ("Muzeum Miejskie", "Izba Regionalna"),
    ("Centrum Informacji Turystycznej", "Punkt Informacji Turystycznej"),
    ("Wodociągi Miejskie", "Gminny Zakład Wodociągów"),
    ("Miejski Zakład Komunikacji", "Gminny Zakład Komunikacji"),
    ("Teatr Miejski", "Gminne Centrum Kultury i Sportu"),
    ("Młodzieżowa Rada Miasta", "Młodzieżowa Rada Gminy"),
    ("Miejskie Centrum Aktywności Lokalnej", "Centrum Aktywności Lokalnej"),
    ("Miejski Żłobek", "Gminny Żłobek"),
]
POWIAT_INSTITUTIONS = [
    "Powiatowe Centrum Pomocy Rodzinie",
    "Zarząd Dróg Powiatowych",
    "Powiatowy Urząd Pracy",
    "Szpital Powiatowy",
    "Powiatowe Centrum Kultury",
]
WOJ_INSTITUTIONS = [
    "Regionalny Ośrodek Kultury",
    "Zarząd Dróg Wojewódzkich",
    "Regionalny Ośrodek Polityki Społecznej",
    "Koleje Regionalne",
    "Wojewódzki Urząd Pracy",
    "Centrum Obsługi Funduszy Europejskich",
]


@dataclass(frozen=True)
class UnitInfo:
    teryt: str
    name: str
    level: str
    kind: str
    woj_code: str
    size_class: str
    population: int


@dataclass(frozen=True)
class Slot:
    """One possible demo profile of a unit. `index` is its stable position in the list of all slots."""

    index: int
    unit: UnitInfo
    platform: str
    role: str
    variant: int
    name: str
    weight: float

    @property
    def platform_id(self) -> str:
        """Return the demo profile's platform id (always starts with "demo-", which marks demo profiles)."""
        return f"demo-{self.unit.teryt}-{self.role}-{self.platform}-{self.variant}"


DEMO_PREFIX = "demo-"


def _adjective_genitive(words: str) -> str:
    """'dolnośląskie' → 'Dolnośląskiego', 'łódzki wschodni' → 'Łódzkiego Wschodniego' (regular adjectives)."""
    out = []
    for w in words.split():
        parts = []
        for p in w.split("-"):
            if p.endswith("ie"):
                p = p[:-1] + "ego"
            elif p.endswith("i"):
                p = p + "ego"
            elif p.endswith("y"):
                p = p[:-1] + "ego"
            parts.append(p)
        word = "-".join(parts)
        out.append(word[:1].upper() + word[1:])
    return " ".join(out)


def _is_city(u: UnitInfo) -> bool:
    return u.kind in ("gmina miejska", "miasto na prawach powiatu")


def official_name(u: UnitInfo) -> str:
    """Return the display name of the unit's official profile ("Miasto Wrocław", "Gmina Kobierzyce", …)."""
    if u.level == "wojewodztwo":
        return f"Województwo {u.name}"
    if u.kind == "powiat":
        return f"Powiat {u.name}"
    if _is_city(u):
        return f"Miasto {u.name}"
    if u.kind == "gmina miejsko-wiejska":
        return f"Miasto i Gmina {u.name}"
    return f"Gmina {u.name}"


def head_name(u: UnitInfo) -> str:
    """Return the display name of the head's profile (wójt, burmistrz, prezydent, starosta, marszałek)."""
    if u.level == "wojewodztwo":
        return f"Marszałek Województwa {_adjective_genitive(u.name)}"
    if u.kind == "powiat":
        return "Starosta " + " ".join(w[:1].upper() + w[1:] for w in u.name.split())
    if _is_city(u):
        return f"{'Prezydent' if u.population >= 100_000 else 'Burmistrz'} Miasta {u.name}"
    if u.kind == "gmina miejsko-wiejska":
        return f"Burmistrz Miasta i Gminy {u.name}"
    return f"Wójt Gminy {u.name}"


def council_name(u: UnitInfo) -> str:
    """Return the display name of the council's profile."""
    if u.level == "wojewodztwo":
        return f"Sejmik Województwa {_adjective_genitive(u.name)}"
    if u.kind == "powiat":
        return f"Rada Powiatu {_adjective_genitive(u.name)}"
    if _is_city(u):
        return f"Rada Miasta {u.name}"
    return f"Rada Gminy {u.name}"


def _institution_count(u: UnitInfo) -> int:
    if u.level == "wojewodztwo":
        return len(WOJ_INSTITUTIONS)
    if u.kind == "powiat":
        return 2
    p = u.population
    return 0 if p < 5_000 else 1 if p < 10_000 else 2 if p < 20_000 else 3 if p < 50_000 else (
        5 if p < 100_000 else 7 if p < 200_000 else 10 if p < 500_000 else 14
    )


def _institution_name(u: UnitInfo, i: int) -> str:
    if u.level == "wojewodztwo":
        return f"{WOJ_INSTITUTIONS[i]} — województwo {u.name}"
    if u.kind == "powiat":
        return f"{POWIAT_INSTITUTIONS[i]} — powiat {u.name}"
    city, rural = GMINA_INSTITUTIONS[i % len(GMINA_INSTITUTIONS)]
    return f"{city if _is_city(u) or u.kind == 'gmina miejsko-wiejska' and i % 2 else rural} — {u.name}"


ROLE_WEIGHT = {
    ProfileRole.OFFICIAL: 1.0,
    ProfileRole.HEAD: 0.45,
    ProfileRole.COUNCIL: 0.2,
    ProfileRole.INSTITUTION: 0.15,
}
PLATFORM_WEIGHT = {Platform.FACEBOOK: 1.0, Platform.INSTAGRAM: 0.35, Platform.YOUTUBE: 0.25}


def _unit_infos() -> list[UnitInfo]:
    rows = Unit.objects.filter(population__isnull=False).order_by("teryt")
    return [
        UnitInfo(u.teryt, u.name, u.level, u.kind, u.woj_code, u.size_class, int(u.population))
        for u in rows.only("teryt", "name", "level", "kind", "woj_code", "size_class", "population")
    ]


def build_slots() -> list[Slot]:
    """Return every possible demo profile of the units in the database, in a stable order (~10,000)."""
    units = _unit_infos()
    by_teryt = {u.teryt: u for u in units}
    mnpp = {u.teryt for u in units if u.kind == "miasto na prawach powiatu"}
    out: list[Slot] = []

    def add(u: UnitInfo, platform: str, role: str, name: str, variant: int = 0) -> None:
        size = min(8.0, max(0.4, (u.population / 10_000) ** 0.35))
        weight = ROLE_WEIGHT[role] * PLATFORM_WEIGHT[platform] * size
        out.append(Slot(len(out), u, platform, role, variant, name, weight))

    fb, ig, yt = Platform.FACEBOOK, Platform.INSTAGRAM, Platform.YOUTUBE
    for u in units:
        p = u.population
        if u.kind == "miasto na prawach powiatu":
            # The city itself is its gmina twin (TERYT …011); the powiat-level unit carries the council
            # and the municipal institutions, so the kind "miasto na prawach powiatu" has profiles too.
            twin = by_teryt.get(f"{u.teryt}011")
            add(u, fb, ProfileRole.COUNCIL, council_name(u))
            for i in range(_institution_count(u)):
                add(u, fb, ProfileRole.INSTITUTION, _institution_name(u, i), i)
            if twin is None:
                add(u, fb, ProfileRole.OFFICIAL, official_name(u))
            continue
        is_mnpp_twin = u.level == "gmina" and u.teryt[:4] in mnpp
        add(u, fb, ProfileRole.OFFICIAL, official_name(u))
        if (
            u.level == "wojewodztwo"
            or u.kind == "gmina miejska"
            or (u.kind == "gmina miejsko-wiejska" and p >= 5_000)
            or (u.kind == "gmina wiejska" and p >= 7_000)
            or (u.kind == "powiat" and p >= 80_000)
        ):
            add(u, fb, ProfileRole.HEAD, head_name(u))
        if not is_mnpp_twin and (
            u.level == "wojewodztwo" or (u.level == "gmina" and p >= 15_000) or (u.kind == "powiat" and p >= 100_000)
        ):
            add(u, fb, ProfileRole.COUNCIL, council_name(u))
        if not is_mnpp_twin:
            for i in range(_institution_count(u)):
                add(u, fb, ProfileRole.INSTITUTION, _institution_name(u, i), i)
        if u.level == "wojewodztwo" or (u.level == "gmina" and p >= 15_000) or (u.kind == "powiat" and p >= 150_000):
            add(u, ig, ProfileRole.OFFICIAL, official_name(u))
        if u.level == "gmina" and p >= 100_000:
            add(u, ig, ProfileRole.HEAD, head_name(u))
        if u.level == "wojewodztwo" or (u.level == "gmina" and p >= 40_000):
            add(u, yt, ProfileRole.OFFICIAL, official_name(u))
        if u.level == "gmina" and p >= 30_000 and not is_mnpp_twin:
            add(u, yt, ProfileRole.COUNCIL, council_name(u))
    return out


def choose_slots(slots: list[Slot], count: int, seed: int) -> list[Slot]:
    """Return `count` slots: a coverage set first, then weighted sampling without replacement (seeded).

    The coverage set (about 40 slots) holds every voivodeship's own profile, one official profile of each
    level/kind and each size class of gminas and powiats, and one slot of each role and platform; so from
    scale 0.15 (45 profiles) up every voivodeship, level, kind, size class, role and platform is present.
    """
    count = max(1, min(count, len(slots)))
    rng = np.random.default_rng([seed, 7])
    weights = np.array([s.weight for s in slots])
    # Efraimidis–Spirakis: the largest u^(1/w) are a weighted sample without replacement.
    keys = rng.random(len(slots)) ** (1.0 / weights)
    order = list(np.argsort(-keys, kind="stable"))
    rank = {int(i): r for r, i in enumerate(order)}

    def best(pred) -> int | None:
        candidates = [s.index for s in slots if pred(s)]
        return min(candidates, key=rank.__getitem__) if candidates else None

    official_fb = lambda s: s.role == ProfileRole.OFFICIAL and s.platform == Platform.FACEBOOK  # noqa: E731
    wanted: list[int | None] = []
    for s in slots:
        if s.unit.level == "wojewodztwo" and official_fb(s):
            wanted.append(s.index)
    kinds = sorted({s.unit.kind for s in slots})
    for kind in kinds:
        wanted.append(best(lambda s, k=kind: s.unit.kind == k and official_fb(s)))
    for size in SIZE_CLASSES:
        wanted.append(best(lambda s, c=size: s.unit.level == "gmina" and s.unit.size_class == c and official_fb(s)))
        wanted.append(best(lambda s, c=size: s.unit.size_class == c and s.unit.level != "wojewodztwo"))
    for role in ProfileRole.values:
        wanted.append(best(lambda s, r=role: s.role == r))
    for platform in (Platform.INSTAGRAM, Platform.YOUTUBE):
        wanted.append(best(lambda s, p=platform: s.platform == p))
    seen: set[int] = set()
    first = []
    for i in wanted:
        if i is not None and i not in seen:
            seen.add(i)
            first.append(i)
    chosen = first + [int(i) for i in order if int(i) not in seen]
    return sorted((slots[i] for i in chosen[:count]), key=lambda s: s.index)
