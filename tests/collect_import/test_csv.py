"""CSV imports: the two real sets through shipped mappings, --map, mapping files, CrowdTangle exports."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ratusz.collect.importing.formats.crowdtangle import COLUMNS, post_id_from_url
from ratusz.collect.importing.mapping import shipped_mappings
from ratusz.collect.importing.service import import_file
from ratusz.collect.models import Post, PostCountSnapshot
from ratusz.errors import RatuszError
from ratusz.registry.models import Profile

from .conftest import counts, run_cli


def test_shipped_mappings_are_listed():
    assert {"canada2015", "canada2015_messages", "uci_facebook_metrics"} <= set(shipped_mappings())


def test_canada2015_pages_import_through_the_cli_and_again_idempotently(db, shared_data: Path):
    path = shared_data / "facebook" / "canada2015_Facebook_Pages_Dataset.csv"
    code, out, exc = run_cli(["import", str(path), "--format", "csv", "--mapping", "canada2015", "--json"])
    assert code == 0, (out, exc)
    assert json.loads(out.strip().splitlines()[-1])["posts_created"] == 1711
    assert sorted(Profile.objects.values_list("name", "platform_id")) == [
        ("Harper", "9106562109"), ("Mulcair", "149331805154700"), ("Trudeau", "21751825648")
    ]  # fmt: skip
    post = Post.objects.get(platform_id="149331805154700_900638200024053")
    assert (post.reactions_like, post.reactions_total, post.comments_count, post.shares_count) == (
        3015,
        3015,
        160,
        1,
    )
    assert post.reactions_love is None and post.views_count is None
    assert post.format == "photo" and post.published_at == datetime(2015, 10, 19, 21, 15, 9, tzinfo=UTC)
    assert post.raw["campaign_week"] == "Election Day"
    code, out, _ = run_cli(["import", str(path), "--format", "csv", "--mapping", "canada2015", "--json"])
    assert code == 0 and json.loads(out.strip().splitlines()[-1])["posts_updated"] == 1711
    assert Post.objects.count() == 1711 and PostCountSnapshot.objects.count() == 2 * 1711


def test_canada2015_messages_file_has_repeated_rows_and_is_refused(db, shared_data: Path):
    path = shared_data / "facebook" / "canada2015_Campaign_Messages_Dataset.csv"
    with pytest.raises(RatuszError) as exc:
        import_file(path, "csv", {"mapping": "canada2015_messages"})
    assert "występuje w pliku drugi raz" in exc.value.message and "wiersz" in exc.value.message
    assert counts()["posts"] == 0


def test_uci_facebook_metrics_with_semicolons(db, shared_data: Path):
    path = shared_data / "facebook" / "uci_facebook_metrics_dataset_Facebook.csv"
    result = import_file(path, "csv", {"mapping": "uci_facebook_metrics"})
    assert result.posts == 500
    first = Post.objects.get(platform_id="uci-2")  # the first data line of the file
    assert (first.reactions_like, first.comments_count, first.shares_count, first.followers_at_posting) == (
        79,
        4,
        17,
        139441,
    )
    assert first.format == "photo" and first.published_at.year == 2014 and first.published_at.month == 12
    assert first.raw["T_Interactions"] == "100"
    # a few rows of the set have no like/share counts: they stay NULL
    assert Post.objects.filter(shares_count__isnull=True).exists()
    assert Profile.objects.get().name.startswith("UCI")


def test_general_mapping_with_map_options_json_mapping_and_detected_delimiter(db, tmp_path: Path):
    path = tmp_path / "posty.csv"
    path.write_text(
        "ID\tKiedy\tTreść\tPolubienia\tKomentarze\n"
        "a1\t2025-02-01 08:30\tOdśnieżanie ulic\t12\t\n"
        'a2\t2025-02-02 09:00\t"Wiersz\nz nową linią"\t1 234\t3\n',
        encoding="utf-8",
    )
    maps = ["--map", "platform_id=ID", "--map", "published_at=Kiedy", "--map", "text=Treść",
            "--map", "reactions_like=Polubienia", "--map", "comments_count=Komentarze"]  # fmt: skip
    code, out, exc = run_cli(["import", str(path), "--format", "csv", *maps, "--profile-name", "Gmina Tab"])
    assert code == 0, (out, exc)
    a1, a2 = Post.objects.order_by("platform_id")
    assert a1.comments_count is None and a1.reactions_like == 12
    assert a1.published_at == datetime(2025, 2, 1, 7, 30, tzinfo=UTC)  # naive times are Europe/Warsaw
    assert a2.text == "Wiersz\nz nową linią" and a2.reactions_like == 1234
    mapping = tmp_path / "moje.json"
    mapping.write_text(json.dumps({"delimiter": "\t", "profile": {"name": "Gmina Tab"},
                                   "fields": {"platform_id": "ID", "published_at": "Kiedy",
                                              "shares_count": {"column": "Komentarze", "default": "0"}}}))  # fmt: skip
    import_file(path, "csv", {"mapping": str(mapping)})
    assert Post.objects.count() == 2 and Post.objects.get(platform_id="a1").shares_count == 0


def test_cp1250_csv_is_read_correctly(db, tmp_path: Path):
    path = tmp_path / "urzad.csv"
    path.write_bytes(
        "id;data;tresc;profil\n1;2025-05-01 10:00;Zażółć gęślą jaźń – Łódź;Gmina Świętochłowice\n".encode(
            "cp1250"
        )
    )
    result = import_file(
        path, "csv", {"map": ["platform_id=id", "published_at=data", "text=tresc", "profile_name=profil"]}
    )
    assert result.posts == 1
    assert Post.objects.get().text == "Zażółć gęślą jaźń – Łódź"
    assert Profile.objects.get().name == "Gmina Świętochłowice"


def ct_row(**kw: str) -> dict[str, str]:
    row = dict.fromkeys(COLUMNS, "")
    row.update({"Page Name": "Miasto Gdańsk", "User Name": "gdansk", "Facebook Id": "123456", "Post Created": "2021-04-06 11:00:08 CEST",
                "Type": "Native Video", "Likes": "10", "Comments": "4", "Shares": "2", "Love": "3", "Wow": "0", "Haha": "1",
                "Sad": "0", "Angry": "0", "Care": "1", "Post Views": "250", "Followers at Posting": "80000",
                "URL": "https://www.facebook.com/gdansk/posts/987654", "Message": "Nowy tramwaj"})  # fmt: skip
    row.update(kw)
    return row


def write_ct(path: Path, rows: list[dict[str, str]], columns=COLUMNS) -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=list(columns) + ["Overperforming Score (weighted  —  Likes 1x Shares 1x …)"]
        )
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "Overperforming Score (weighted  —  Likes 1x Shares 1x …)": "1.5"})
    return path


def test_crowdtangle_export(registry, tmp_path: Path):
    path = write_ct(
        tmp_path / "ct.csv",
        [ct_row(), ct_row(URL="https://www.facebook.com/gdansk/posts/111", Love="", Type="Photo")],
    )
    code, out, exc = run_cli(["import", str(path), "--format", "crowdtangle", "--teryt", "2261011"])
    assert code == 0, (out, exc)
    post = Post.objects.get(platform_id="123456_987654")
    assert (post.reactions_like, post.reactions_love, post.reactions_care, post.reactions_total) == (
        10,
        3,
        1,
        15,
    )
    assert (post.comments_count, post.shares_count, post.views_count, post.followers_at_posting) == (
        4,
        2,
        250,
        80000,
    )
    assert post.format == "video" and post.published_at == datetime(2021, 4, 6, 9, 0, 8, tzinfo=UTC)
    assert post.profile.handle == "gdansk" and post.profile.unit.name == "Gdańsk"
    other = Post.objects.get(platform_id="123456_111")
    assert other.reactions_love is None and other.reactions_total is None  # one type unknown -> total unknown


def test_crowdtangle_post_ids_from_urls():
    assert post_id_from_url("https://www.facebook.com/gdansk/videos/55/", "1") == "1_55"
    assert post_id_from_url("https://www.facebook.com/gdansk/photos/a.1/42/", "1") == "1_42"
    assert post_id_from_url("https://www.facebook.com/x/posts/pfbid02abc", "1").endswith("pfbid02abc")
