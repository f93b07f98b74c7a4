"""Real-data check: import the UCI "Facebook metrics" file and compare our figures with the file's own.

    RATUSZ_HOME=$(mktemp -d) sh -c 'ratusz migrate && python -m ratusz.reports.real_data_check \
        --csv ../shared/data/facebook/uci_facebook_metrics_dataset_Facebook.csv --out docs/real-data-check.md'

The file (Moro, Rita & Vala 2016, CC BY 4.0) has 500 posts of one brand page in 2014 with the page's total
likes at posting time (`Page_T_Likes`, our followers at posting), the counts `like`, `comment`, `share`
and the authors' `T_Interactions`. The posts go in through the real import (`ratusz import … --format csv
--mapping uci_facebook_metrics`); the figures come from the metrics library, the same code the ranking uses.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

MAPPING = "uci_facebook_metrics"
PERIOD = (date(2014, 1, 1), date(2014, 12, 31))


@dataclass
class Check:
    """The figures of the check (see `run_check`)."""

    file: str
    posts_in_file: int
    posts_imported: int
    compared: int = 0
    equal: int = 0
    differences: list[dict[str, Any]] = field(default_factory=list)
    unknown: list[dict[str, Any]] = field(default_factory=list)
    er_max_abs_diff: float = 0.0
    er: dict[str, float] = field(default_factory=dict)
    profile: dict[str, Any] = field(default_factory=dict)
    by_format: list[dict[str, Any]] = field(default_factory=list)
    file_totals: dict[str, int] = field(default_factory=dict)


def _int(value: str) -> int | None:
    value = (value or "").strip()
    return int(value) if value else None


def read_file(path: Path) -> dict[str, dict[str, Any]]:
    """Return the file's own figures by our post id ("uci-<line number>", header = line 1)."""
    out = {}
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        for line, row in enumerate(reader, start=2):
            out[f"uci-{line}"] = {
                "line": line,
                "like": _int(row["like"]),
                "comment": _int(row["comment"]),
                "share": _int(row["share"]),
                "t_interactions": _int(row["T_Interactions"]),
                "page_likes": _int(row["Page_T_Likes"]),
                "type": row["Type"],
            }
    return out


def run_check(path: Path) -> Check:
    """Import the file (idempotent), compute per-post and profile figures with the metrics library and
    compare our interactions with the file's T_Interactions; returns the figures (fractions, counts)."""
    from ratusz.collect.importing.service import import_file
    from ratusz.collect.models import Post
    from ratusz.metrics import metrics

    result = import_file(path, "csv", {"mapping": MAPPING})
    file_rows = read_file(path)
    post = Post.objects.filter(source__isnull=False, platform_id="uci-2").select_related("profile").first()
    if post is None:
        post = Post.objects.filter(platform_id="uci-2").select_related("profile").get()
    profile = post.profile
    rows = metrics.post_rows(profile, *PERIOD)
    check = Check(file=path.name, posts_in_file=len(file_rows), posts_imported=result.posts)
    ers_ours, ers_file = [], []
    for r in rows:
        f = file_rows.get(r["platform_id"])
        if f is None:
            continue
        if r["interactions"] is None:
            check.unknown.append(
                {
                    "line": f["line"],
                    "like": f["like"],
                    "comment": f["comment"],
                    "share": f["share"],
                    "t_interactions": f["t_interactions"],
                }
            )
            continue
        check.compared += 1
        if r["interactions"] == f["t_interactions"]:
            check.equal += 1
        else:
            check.differences.append(
                {"line": f["line"], "ours": r["interactions"], "file": f["t_interactions"]}
            )
        if r["er"] is not None:
            ers_ours.append(r["er"])
            file_er = f["t_interactions"] / f["page_likes"]
            ers_file.append(file_er)
            check.er_max_abs_diff = max(check.er_max_abs_diff, abs(r["er"] - file_er))
    if ers_ours:
        check.er = {
            "posts": len(ers_ours),
            "mean": statistics.fmean(ers_ours),
            "median": statistics.median(ers_ours),
            "min": min(ers_ours),
            "max": max(ers_ours),
            "file_mean": statistics.fmean(ers_file),
        }
    summary = metrics.profile_summary(profile, *PERIOD)
    check.profile = {
        k: summary.get(k)
        for k in (
            "posts",
            "posts_per_day",
            "interactions",
            "reactions",
            "comments",
            "shares",
            "posts_with_interactions",
            "engagement",
            "followers",
            "interactions_per_post_per_1000",
            "sii",
            "sii_relative",
            "reaction_mood",
        )
    }
    check.profile["missing"] = summary.get("missing", [])
    formats: dict[str, list[float]] = {}
    for r in rows:
        if r["er"] is not None:
            formats.setdefault(r["format"], []).append(r["er"])
    check.by_format = [
        {"format": k, "posts": len(v), "mean_er": statistics.fmean(v), "median_er": statistics.median(v)}
        for k, v in sorted(formats.items(), key=lambda kv: -len(kv[1]))
    ]
    check.file_totals = {
        "t_interactions": sum(f["t_interactions"] or 0 for f in file_rows.values()),
        "like": sum(f["like"] or 0 for f in file_rows.values()),
        "comment": sum(f["comment"] or 0 for f in file_rows.values()),
        "share": sum(f["share"] or 0 for f in file_rows.values()),
    }
    return check


def _pct(x: float | None, digits: int = 3) -> str:
    return "—" if x is None else f"{100 * x:.{digits}f} %"


def _cell(x: int | None) -> str:
    return "empty" if x is None else str(x)


def _n(x: Any) -> str:
    if x is None:
        return "— (unknown)"
    if isinstance(x, float):
        return f"{x:,.3f}"
    return f"{x:,}"


def render_markdown(c: Check, command: str) -> str:
    """Return docs/real-data-check.md for the figures of a check."""
    p = c.profile
    unknown_lines = ", ".join(
        f"line {u['line']} (like={_cell(u['like'])}, comment={_cell(u['comment'])}, share={_cell(u['share'])}, "
        f"T_Interactions={u['t_interactions']})"
        for u in sorted(c.unknown, key=lambda u: u["line"])
    )
    unknown_sum = sum(u["t_interactions"] or 0 for u in c.unknown)
    lines = [
        '# Real-data check: UCI "Facebook metrics"',
        "",
        "Generated by the command below (do not edit by hand); the test `tests/reports/test_real_data.py` checks "
        "the same comparison.",
        "",
        "```sh",
        command,
        "```",
        "",
        "**Data**: `../shared/data/facebook/uci_facebook_metrics_dataset_Facebook.csv` — 500 posts published in "
        "2014 by one cosmetics brand page (Moro, S., Rita, P., & Vala, B. (2016), *Predicting social media "
        "performance metrics and evaluation of the impact on brand building*, Journal of Business Research "
        "69(9); CC BY 4.0). It has the page's total likes at posting time (`Page_T_Likes`), which we use as "
        "the followers at posting, and per post `like`, `comment`, `share` and `T_Interactions`.",
        "",
        f"**Import**: `ratusz import … --format csv --mapping {MAPPING}` (the shipped mapping) — "
        f"{c.posts_imported} of {c.posts_in_file} posts imported. The file has no dates, only month, weekday "
        "and hour: the mapping puts every post on day 1 of its month in 2014, so daily figures pile up on "
        "12 days; per-post figures are unaffected.",
        "",
        "## Our interactions against the file's `T_Interactions`",
        "",
        "| | posts |",
        "|---|---:|",
        f"| compared (all three counts present) | {c.compared} |",
        f"| equal to `T_Interactions` | {c.equal} |",
        f"| different | {len(c.differences)} |",
        f"| not compared: a count is missing in the file, so our interactions are unknown | {len(c.unknown)} |",
        "",
        f"`T_Interactions` = `like` + `comment` + `share` in the file; our interactions of a post = reactions "
        f"(in 2014 only likes existed) + comments + shares — the same sum, so every post with all three counts "
        f"agrees ({c.equal} of {c.compared}).",
        "",
        f"The difference is the missing counts: {unknown_lines}. The file's `T_Interactions` silently reads an "
        "empty cell as 0; ratusz keeps a missing count missing (NULL, never 0), so these posts' interactions are "
        "unknown and they are left out of the sums and rates (their coverage is reported). Reading the empty "
        "cells as 0 would reproduce the file's figure for them too.",
        "",
        f"Totals in the file: `T_Interactions` {c.file_totals['t_interactions']:,} = like "
        f"{c.file_totals['like']:,} + comment {c.file_totals['comment']:,} + share {c.file_totals['share']:,}. "
        f"Our profile total below is {unknown_sum:,} lower: exactly the `T_Interactions` of the "
        f"{len(c.unknown)} posts with a missing count.",
        "",
        "## Per-post engagement (ER = interactions ÷ followers at posting)",
        "",
        "| | value |",
        "|---|---:|",
        f"| posts with a known ER | {c.er.get('posts', 0)} |",
        f"| mean ER | {_pct(c.er.get('mean'))} |",
        f"| median ER | {_pct(c.er.get('median'))} |",
        f"| min … max ER | {_pct(c.er.get('min'))} … {_pct(c.er.get('max'))} |",
        f"| mean of `T_Interactions ÷ Page_T_Likes` from the file | {_pct(c.er.get('file_mean'))} |",
        f"| largest absolute difference per post | {c.er_max_abs_diff:.2e} |",
        "",
        "| format | posts | mean ER | median ER |",
        "|---|---:|---:|---:|",
        *[
            f"| {f['format']} | {f['posts']} | {_pct(f['mean_er'])} | {_pct(f['median_er'])} |"
            for f in c.by_format
        ],
        "",
        "## Profile figures for 2014 (Europe/Warsaw calendar)",
        "",
        "| metric | value |",
        "|---|---:|",
        f"| posts | {_n(p.get('posts'))} |",
        f"| posts per day | {_n(p.get('posts_per_day'))} |",
        f"| interactions (posts with known counts: {_n(p.get('posts_with_interactions'))}) | {_n(p.get('interactions'))} |",
        f"| reactions / comments / shares | {_n(p.get('reactions'))} / {_n(p.get('comments'))} / {_n(p.get('shares'))} |",
        f"| profile engagement (mean of the 365 daily rates) | {_pct(p.get('engagement'), 4)} |",
        f"| Sotrender Interactivity Index | {_n(p.get('sii'))} |",
        f"| followers at the end of the period | {_n(p.get('followers'))} |",
        f"| interactions per post per 1,000 followers | {_n(p.get('interactions_per_post_per_1000'))} |",
        f"| relative interactivity index | {_n(p.get('sii_relative'))} |",
        f"| reaction mood | {_n(p.get('reaction_mood'))} |",
        "",
        "The file has followers only at posting time, not daily follower snapshots, so the figures that divide "
        "by the followers at the end of the period (per 1,000 followers, the relative index) are unknown — "
        "and say so — while the per-post ER and the profile engagement (which use the followers at posting) "
        "are known. A day with a post of unknown interactions is left out of the mean of daily rates (numerator "
        "and denominator), as the method states. Reaction mood is undefined: in 2014 every reaction was a like, so its denominator "
        "(all reactions − likes) is 0.",
        "",
    ]
    if p.get("missing"):
        lines += ["What the library says is missing:", "", *[f"- {m}" for m in p["missing"]], ""]
    return "\n".join(lines)


DEFAULT_CSV = Path("../shared/data/facebook/uci_facebook_metrics_dataset_Facebook.csv")


def main(argv: list[str] | None = None) -> None:
    """Run the check against the configured database and print (or write) the Markdown report."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ratusz.settings")
    import django

    django.setup()
    from ratusz.errors import RatuszError

    parser = argparse.ArgumentParser(prog="python -m ratusz.reports.real_data_check", description=__doc__)
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="path of the UCI Facebook metrics CSV")
    parser.add_argument("--out", type=Path, help="write the Markdown here (default: print it)")
    args = parser.parse_args(argv)
    if not args.csv.is_file():
        sys.exit(f"Nie ma pliku {args.csv}: podaj ścieżkę pliku UCI Facebook metrics w --csv.")
    try:
        check = run_check(args.csv)
    except RatuszError as exc:
        sys.exit(f"Błąd: {exc.message}")
    command = (
        "RATUSZ_HOME=$(mktemp -d) sh -c 'ratusz migrate && python -m ratusz.reports.real_data_check "
        f"--csv {DEFAULT_CSV} --out docs/real-data-check.md'"
    )
    text = render_markdown(check, command)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(
            f"Zapisano {args.out}: {check.equal} z {check.compared} postów zgodnych z T_Interactions, "
            f"{len(check.unknown)} z brakującymi licznikami."
        )
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
