"""The published method: every metric and ranking category ratusz computes, defined once.

The code in `metrics.py` and `ranking.py` implements exactly these definitions, the methodology page
and the reports render them, and every stored ranking records `METHOD_VERSION`. Change a definition →
bump `METHOD_VERSION` (a ranking computed under another version is not expected to reproduce).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: Version of the method; stored with every ranking run.
METHOD_VERSION = "zloty-lajk-2025.1"

#: Local calendar in which periods, days and weeks are counted.
CALENDAR_TZ = "Europe/Warsaw"

#: Post formats counted as text-only by the Sotrender Interactivity Index; every other format is "media".
TEXT_FORMATS = ("text",)

#: Published default eligibility thresholds of the engagement categories (Love, Region).
DEFAULT_MIN_POSTS = 10
DEFAULT_MIN_FOLLOWERS = 500

#: Share of the best profiles whose percentile is capped to 100 % in the Page Performance Index.
PPI_TOP_SHARE = 0.10

#: How many earlier posts of the same format form the overperformance benchmark.
OVERPERFORMANCE_WINDOW = 100

#: A post's counts are "mature" (comparable with older posts) this many days after publication.
MATURE_AGE_DAYS = 7


@dataclass(frozen=True)
class MetricDefinition:
    """One metric: key used in code and data, names, formula as published, unit and notes."""

    key: str
    name_pl: str
    name_en: str
    formula: str
    unit: str
    notes: str = ""
    level: str = "profile"  # "post" or "profile"

    def as_dict(self) -> dict[str, str]:
        """Return the definition as a plain dict (for JSON, templates)."""
        return asdict(self)


METRICS: list[MetricDefinition] = [
    MetricDefinition(
        "posts",
        "Aktywność (liczba postów)",
        "Activity (number of posts)",
        "A = liczba własnych postów profilu opublikowanych w okresie (kalendarz Europe/Warsaw)",
        "posty",
        "Liczymy tylko własne posty; udostępnienia cudzych postów są wykazywane, ale nie liczone.",
    ),
    MetricDefinition(
        "posts_per_day",
        "Posty dziennie",
        "Posts per day",
        "A ÷ liczba dni okresu",
        "posty/dzień",
    ),
    MetricDefinition(
        "reactions",
        "Reakcje",
        "Reactions",
        "reakcje wszystkich typów (like, love, care, haha, wow, sad, angry); suma podana przez platformę, "
        "a gdy jej brak — suma typów",
        "reakcje",
        "Gdy brak sumy i choć jednego typu, reakcje posta są nieznane (NULL), nie 0.",
        level="post",
    ),
    MetricDefinition("comments", "Komentarze", "Comments", "komentarze wraz z odpowiedziami", "komentarze",
                     level="post"),
    MetricDefinition("shares", "Udostępnienia", "Shares", "liczba udostępnień posta", "udostępnienia",
                     level="post"),
    MetricDefinition(
        "interactions",
        "Interakcje",
        "Interactions",
        "I = reakcje + komentarze + udostępnienia",
        "interakcje",
        "Interakcje posta z nieznaną którąkolwiek częścią są nieznane. Interakcje profilu to suma po postach "
        "o znanych interakcjach; obok podajemy, ilu postów dotyczy suma (pokrycie). Profil bez ani jednego "
        "posta o znanych liczbach ma interakcje nieznane.",
    ),
    MetricDefinition(
        "followers",
        "Obserwujący",
        "Followers",
        "obserwujący z ostatniego stanu w dniu końca okresu lub wcześniej",
        "osoby",
    ),
    MetricDefinition(
        "er_post",
        "Zaangażowanie posta (ER)",
        "Engagement rate of a post",
        "ER = I ÷ obserwujący w chwili publikacji (pole posta „followers_at_posting”, a gdy brak — ostatni "
        "stan obserwujących w dniu publikacji lub wcześniej)",
        "% obserwujących",
        "Nieznane, gdy nie znamy interakcji albo liczby obserwujących.",
        level="post",
    ),
    MetricDefinition(
        "engagement",
        "Zaangażowanie profilu w okresie",
        "Profile engagement for a period",
        "średnia po dniach okresu z (interakcje własnych postów danego dnia ÷ obserwujący tego dnia); "
        "dzień bez postów ma wartość 0 (konwencja Fanpage Karma i NapoleonCat)",
        "% obserwujących dziennie",
        "Mianownik dnia to obserwujący w chwili publikacji jego postów (zwykle stan z tego dnia). "
        "Dzień, w którym choć jeden post ma nieznane interakcje lub obserwujących, pomijamy w średniej "
        "(licznik i mianownik). Profil, którego żaden dzień z postami nie ma znanej wartości, ma "
        "zaangażowanie nieznane (zwykle brak stanów obserwujących).",
    ),
    MetricDefinition(
        "interactions_per_post_per_1000",
        "Interakcje na post na 1000 obserwujących",
        "Interactions per post per 1,000 followers",
        "(I ÷ posty o znanych interakcjach) ÷ obserwujący na koniec okresu × 1000",
        "interakcje",
    ),
    MetricDefinition(
        "sii",
        "Wskaźnik interaktywności Sotrendera (InI)",
        "Sotrender Interactivity Index",
        "InI = 1·reakcje + 4·komentarze + 8·posty tekstowe + 12·posty z multimediami + 16·udostępnienia",
        "punkty",
        "Post tekstowy = format „text”; każdy inny format własnego posta liczymy jako multimedialny.",
    ),
    MetricDefinition(
        "sii_relative",
        "Względny wskaźnik interaktywności",
        "Relative Interactivity Index",
        "InI ÷ fani × 1000 (fani z ostatniego stanu na koniec okresu; gdy platforma nie podaje fanów — "
        "obserwujący)",
        "punkty na 1000 fanów",
        "Uproszczenie: liczymy całą aktywność, bez wydzielania aktywności samych fanów.",
    ),
    MetricDefinition(
        "follower_growth",
        "Wzrost obserwujących (tygodniowy)",
        "Follower growth (weekly)",
        "g = (F_koniec ÷ F_początek)^(7 ÷ dni) − 1, F z ostatnich stanów w dniu początku/końca okresu lub "
        "wcześniej (gdy brak stanu przed początkiem — pierwszy stan w okresie)",
        "% tygodniowo",
    ),
    MetricDefinition(
        "ppi",
        "Page Performance Index (Fanpage Karma)",
        "Page Performance Index",
        "PPI = √(E% × G%) × 100, gdzie E% i G% to percentyle zaangażowania i wzrostu wśród porównywanych "
        "profili, a najlepsze 10 % ma percentyl 100 % (E% = min(1, p ÷ 0,9))",
        "0–100",
        "Percentyl p = udział porównywanych profili z wartością nie większą. Porównujemy z profilami "
        "rankingu (albo z profilami tej samej klasy wielkości na stronie profilu).",
    ),
    MetricDefinition(
        "overperformance",
        "Ponadprzeciętność posta (CrowdTangle)",
        "Overperformance of a post",
        "I posta ÷ średnie I ostatnich 100 wcześniejszych własnych postów profilu w tym samym formacie",
        "krotność (1 = jak zwykle)",
        "Uproszczenie: porównujemy bieżące liczniki (a nie liczniki w tym samym wieku posta), bo historia "
        "liczników rzadko jest zbierana; posty młodsze niż 7 dni oznaczamy jako wstępne.",
        level="post",
    ),
    MetricDefinition(
        "reaction_mood",
        "Nastrój reakcji",
        "Reaction mood",
        "(love + care + haha + wow − angry − sad) ÷ (wszystkie reakcje − like)",
        "od −1 do 1",
        "Nieokreślony, gdy mianownik wynosi 0 lub któraś liczba jest nieznana.",
        level="post",
    ),
]

METRICS_BY_KEY: dict[str, MetricDefinition] = {m.key: m for m in METRICS}


@dataclass(frozen=True)
class CategoryDefinition:
    """A Złoty Lajk ranking category: what it ranks by, tie-breaks in order, and who is eligible."""

    key: str
    name_pl: str
    name_en: str
    ranks_by: str
    tie_breaks: tuple[str, ...]
    eligibility: str
    default_min_posts: int
    default_min_followers: int
    levels: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        """Return the category as a plain dict."""
        return asdict(self)


CATEGORIES: dict[str, CategoryDefinition] = {
    "active": CategoryDefinition(
        "active",
        "Aktywni",
        "Active",
        "posts",
        ("interactions", "profile_id"),
        "profile z co najmniej jednym własnym postem w okresie",
        1,
        0,
    ),
    "love": CategoryDefinition(
        "love",
        "Love",
        "Love",
        "engagement",
        ("interactions_per_post_per_1000", "interactions", "profile_id"),
        f"co najmniej {DEFAULT_MIN_POSTS} własnych postów i {DEFAULT_MIN_FOLLOWERS} obserwujących na koniec "
        "okresu (domyślnie) oraz znane zaangażowanie",
        DEFAULT_MIN_POSTS,
        DEFAULT_MIN_FOLLOWERS,
    ),
    "region": CategoryDefinition(
        "region",
        "Region",
        "Region",
        "engagement",
        ("interactions_per_post_per_1000", "interactions", "profile_id"),
        "profile województw i powiatów (także miast na prawach powiatu) spełniające progi kategorii Love",
        DEFAULT_MIN_POSTS,
        DEFAULT_MIN_FOLLOWERS,
        levels=("wojewodztwo", "powiat"),
    ),
}


def tie_break_text(category: str) -> str:
    """Return the Polish sentence stating how a category orders profiles (shown with every ranking)."""
    cat = CATEGORIES[category]
    names = {
        "posts": "liczba postów",
        "engagement": "zaangażowanie",
        "interactions": "interakcje",
        "interactions_per_post_per_1000": "interakcje na post na 1000 obserwujących",
        "profile_id": "identyfikator profilu (rosnąco)",
    }
    keys = [names[cat.ranks_by]] + [names[k] for k in cat.tie_breaks]
    return "Kolejność: " + ", potem ".join(keys) + "; wartości nieznane na końcu."


def methodology() -> dict:
    """Return everything the methodology page shows: version, calendar, metrics, categories, defaults."""
    return {
        "method_version": METHOD_VERSION,
        "calendar": CALENDAR_TZ,
        "metrics": [m.as_dict() for m in METRICS],
        "categories": [dict(c.as_dict(), tie_break_text=tie_break_text(c.key)) for c in CATEGORIES.values()],
        "defaults": {"min_posts": DEFAULT_MIN_POSTS, "min_followers": DEFAULT_MIN_FOLLOWERS},
    }
