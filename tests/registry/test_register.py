from pathlib import Path

import pytest

from ratusz.errors import RatuszError
from ratusz.registry.models import Level, Profile, Unit
from ratusz.registry.services import (
    find_units,
    get_unit,
    import_profiles_csv,
    load_register,
    parse_profile_ref,
    peers,
)


def test_register_ships_all_2875_units_and_loads_idempotently(db):
    first = load_register()
    assert first.created == 2875 and first.total == 2875
    second = load_register()
    assert second.created == 0 and second.updated == 2875 and second.total == 2875
    counts = {lvl: Unit.objects.filter(level=lvl).count() for lvl in Level.values}
    assert counts == {"gmina": 2479, "powiat": 380, "wojewodztwo": 16}
    assert Unit.objects.filter(woj_code__in=[f"{c:02d}" for c in range(2, 33, 2)]).count() == 2875


def test_find_by_name_without_diacritics_and_by_teryt(registry):
    by_name = list(find_units("wroclaw"))
    assert by_name[0].name == "Wrocław"
    assert {u.teryt for u in by_name[:2]} == {"0264", "0264011"}
    assert [u.teryt for u in find_units("0264011")] == ["0264011"]
    assert find_units("Łódź")[0].name == "Łódź"


def test_find_rejects_an_empty_query(registry):
    with pytest.raises(RatuszError, match="Podaj nazwę"):
        find_units("  ")


def test_peers_share_level_kind_and_size_class(registry):
    wroclaw = get_unit("0264011")
    peer_units = list(peers(wroclaw))
    assert peer_units and all(
        (u.level, u.kind, u.size_class) == ("gmina", "gmina miejska", ">=500k") for u in peer_units
    )
    assert "1465011" in {u.teryt for u in peer_units}  # Warszawa
    assert wroclaw not in peer_units


@pytest.mark.parametrize(
    ("platform", "ref", "platform_id", "handle"),
    [
        ("facebook", "https://www.facebook.com/wroclaw", "", "wroclaw"),
        ("facebook", "https://m.facebook.com/profile.php?id=100064", "100064", ""),
        ("facebook", "https://www.facebook.com/pages/Miasto-X/123456789", "123456789", ""),
        ("facebook", "123456789012", "123456789012", ""),
        ("instagram", "https://www.instagram.com/krakow_pl/", "", "krakow_pl"),
        ("youtube", "https://www.youtube.com/@MiastoLodz", "", "MiastoLodz"),
        ("youtube", "https://www.youtube.com/channel/UCabcdefghijklmnopqrstuv", "UCabcdefghijklmnopqrstuv", ""),
    ],
)
def test_profile_references_are_parsed(platform, ref, platform_id, handle):
    parsed = parse_profile_ref(platform, ref)
    assert (parsed.platform_id, parsed.handle) == (platform_id, handle)


@pytest.mark.parametrize("ref", ["https://example.com/wroclaw", "https://www.facebook.com/", "nie jest adresem!"])
def test_unparseable_profile_references_are_refused(ref):
    with pytest.raises(RatuszError):
        parse_profile_ref("facebook", ref)


def test_profile_csv_import_is_idempotent(registry, tmp_path: Path):
    f = tmp_path / "profiles.csv"
    f.write_text(
        "teryt,platform,url,role,name\n"
        "0264011,facebook,https://www.facebook.com/wroclaw,official,Wrocław\n"
        "1465011,instagram,https://www.instagram.com/warszawa/,official,Warszawa\n",
        encoding="utf-8",
    )
    assert import_profiles_csv(f).created == 2
    result = import_profiles_csv(f)
    assert (result.created, result.updated) == (0, 2)
    assert Profile.objects.get(handle="wroclaw").unit_id == "0264011"


def test_profile_csv_with_bad_rows_names_the_lines_and_writes_nothing(registry, tmp_path: Path):
    f = tmp_path / "profiles.csv"
    f.write_text(
        "teryt,platform,url,role,name\n"
        "0264011,facebook,https://www.facebook.com/wroclaw,official,Wrocław\n"
        "9999999,facebook,https://www.facebook.com/nikt,official,Nikt\n"
        "1465011,facebook,https://example.com/x,official,Warszawa\n",
        encoding="utf-8",
    )
    with pytest.raises(RatuszError) as info:
        import_profiles_csv(f)
    assert "wiersz 3" in info.value.message and "9999999" in info.value.message
    assert "wiersz 4" in info.value.message
    assert Profile.objects.count() == 0


def test_profile_csv_in_cp1250_is_read(registry, tmp_path: Path):
    f = tmp_path / "profiles.csv"
    f.write_bytes(
        "teryt,platform,url,role,name\n1061011,facebook,https://www.facebook.com/lodz,official,Łódź\n".encode(
            "cp1250"
        )
    )
    import_profiles_csv(f)
    assert Profile.objects.get().name == "Łódź"
