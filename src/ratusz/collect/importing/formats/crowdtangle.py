"""`--format crowdtangle`: CrowdTangle-style CSV exports of Facebook pages (format since April 2021).

Columns as documented in ../shared/research/platform-apis-and-metrics.md §1.9. CrowdTangle exports have no
post id column: the id is taken from the post URL ('<page id>_<post number>'), else the URL itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ratusz.collect.importing.formats.csvmap import profile_defaults
from ratusz.collect.importing.formats.tabular import detect_delimiter, read_rows
from ratusz.collect.importing.mapping import Mapping
from ratusz.collect.importing.records import (
    PostRecord,
    ProfileRef,
    Record,
    SourceFile,
    parse_count,
    parse_datetime,
    parse_format,
)
from ratusz.collect.importing.registry import FormatOption
from ratusz.collect.reactions import complete_total, reactions_from

COLUMNS = (
    "Page Name", "Group Name", "User Name", "Facebook Id", "Page Category", "Page Admin Top Country",
    "Page Description", "Page Created", "Likes at Posting", "Followers at Posting", "Post Created",
    "Post Created Date", "Post Created Time", "Type", "Total Interactions", "Likes", "Comments", "Shares",
    "Love", "Wow", "Haha", "Sad", "Angry", "Care", "Video Share Status", "Is Video Owner?", "Post Views",
    "Total Views", "Total Views For All Crossposts", "Video Length", "URL", "Message", "Link", "Final Link",
    "Image Text", "Link Text", "Description", "Sponsor Id", "Sponsor Name", "Sponsor Category",
)  # fmt: skip
REQUIRED = ("Post Created", "URL", "Likes", "Comments", "Shares")
REACTIONS = {
    "like": "Likes",
    "love": "Love",
    "care": "Care",
    "haha": "Haha",
    "wow": "Wow",
    "sad": "Sad",
    "angry": "Angry",
}
_POST_NUMBER = re.compile(r"/(?:posts|videos|photos|permalink)/(?:[^/?#]+/)*?(?:pfbid\w+|(\d+))/?")


def post_id_from_url(url: str, page_id: str) -> str:
    """Return '<page id>_<post number>' for a Facebook post URL, else the URL itself."""
    m = _POST_NUMBER.search(url)
    if m and m.group(1) and page_id:
        return f"{page_id}_{m.group(1)}"
    return url.strip()


class CrowdTangleFormat:
    """CrowdTangle "Historical data" CSV of Facebook pages or groups."""

    id = "crowdtangle"
    title = "CrowdTangle CSV (Facebook)"
    reads = (
        "Eksport CSV z CrowdTangle (strony i grupy Facebooka, układ kolumn od kwietnia 2021: Page Name, "
        "Facebook Id, Post Created, Type, Likes … Angry, Care, Comments, Shares, URL, Message)."
    )
    extensions = (".csv",)
    options = (
        FormatOption("delimiter", "Separator kolumn (domyślnie wykrywany).", "str"),
        FormatOption("teryt", "Kod TERYT jednostki dla nowo dodanych profili (opcjonalny).", "str"),
        FormatOption(
            "timezone", "Strefa czasowa dat bez strefy (domyślnie Europe/Warsaw).", "str", "Europe/Warsaw"
        ),
    )

    def records(self, source: SourceFile, options: dict[str, Any]) -> Iterator[Record]:
        """Yield one PostRecord per row of the export; unknown or missing columns are errors."""
        header, rows = read_rows(source, detect_delimiter(source, options.get("delimiter")))
        known = set(COLUMNS)
        for col in header:
            if col not in known and "overperforming" not in col.lower():
                raise source.error(
                    1,
                    col,
                    "nieznana kolumna eksportu CrowdTangle; usuń ją albo użyj --format csv z mapowaniem",
                )
        missing = [c for c in REQUIRED if c not in header]
        if "Page Name" not in header and "Group Name" not in header:
            missing.insert(0, "Page Name")
        if missing:
            raise source.error(1, missing[0], "brak wymaganej kolumny eksportu CrowdTangle")
        name_col = "Page Name" if "Page Name" in header else "Group Name"
        tz = Mapping(timezone=options.get("timezone") or "Europe/Warsaw").tz()
        teryt = (options.get("teryt") or "").strip()
        defaults = profile_defaults(Mapping(), {})
        for line, values in rows:
            row = dict(zip(header, values, strict=True))
            fld = ""
            try:
                fld = "Post Created"
                published = parse_datetime(row["Post Created"], tz)
                counts: dict[str, int | None] = {}
                for col in ("Comments", "Shares", "Post Views", "Followers at Posting", *REACTIONS.values()):
                    fld = col
                    counts[col] = parse_count(row.get(col, ""))
            except ValueError as exc:
                raise source.error(line, fld, str(exc)) from None
            page_id = row.get("Facebook Id", "").strip()
            url = row["URL"].strip()
            if not url:
                raise source.error(line, "URL", "pusty adres posta (służy jako jego identyfikator)")
            reactions = reactions_from((k, counts[c]) for k, c in REACTIONS.items() if c in header)
            yield PostRecord(
                line=line,
                profile=ProfileRef(
                    platform=defaults["platform"],
                    platform_id=page_id,
                    handle=row.get("User Name", "").strip(),
                    name=row[name_col].strip(),
                    teryt=teryt,
                ),
                platform_id=post_id_from_url(url, page_id),
                published_at=published,
                text=row.get("Message", ""),
                format=parse_format(row.get("Type", "")),
                permalink=url,
                reactions=reactions,
                reactions_total=complete_total(reactions),
                comments_count=counts["Comments"],
                shares_count=counts["Shares"],
                views_count=counts["Post Views"],
                followers_at_posting=counts["Followers at Posting"],
                raw=row,
            )


FORMAT = CrowdTangleFormat()
