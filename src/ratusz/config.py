"""Every setting ratusz reads from the environment, declared once with its help text and default.

`docs/settings.md` is generated from this list (`ratusz settings --markdown`); a test fails when they drift.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str

    def get(self) -> str:
        """Return the value from the environment, or the default."""
        return os.environ.get(self.name, self.default)


def _home_default() -> str:
    return str(Path.cwd() / "var")


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("RATUSZ_HOME", "", "Folder for the SQLite database, uploads and reports (default: ./var)."),
        Setting(
            "RATUSZ_DATABASE_URL",
            "",
            "Database URL, e.g. postgresql://user@host:5432/ratusz (default: SQLite file under RATUSZ_HOME).",
        ),
        Setting("RATUSZ_SECRET_KEY", "", "Django secret key; required in production."),
        Setting("RATUSZ_DEBUG", "0", "1 turns on Django's debug mode (never in production)."),
        Setting("RATUSZ_PRODUCTION", "0", "1 marks a production deployment: refuses default secrets and debug."),
        Setting("RATUSZ_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]", "Comma-separated host names served."),
        Setting(
            "RATUSZ_PSEUDONYM_KEY",
            "",
            "Key of the keyed hash that pseudonymises comment authors (default: derived from the secret key).",
        ),
        Setting(
            "RATUSZ_TOKEN_KEY",
            "",
            "Key that encrypts platform access tokens at rest (default: derived from the secret key).",
        ),
        Setting(
            "RATUSZ_FACEBOOK_GRAPH_URL",
            "https://graph.facebook.com/v23.0",
            "Base URL and version of the Meta Graph API (tests and proxies point it elsewhere).",
        ),
        Setting(
            "RATUSZ_INSTAGRAM_GRAPH_URL",
            "https://graph.facebook.com/v23.0",
            "Base URL and version of the Instagram Graph API.",
        ),
        Setting(
            "RATUSZ_YOUTUBE_API_URL",
            "https://www.googleapis.com/youtube/v3",
            "Base URL of the YouTube Data API v3.",
        ),
        Setting("RATUSZ_YOUTUBE_API_KEY", "", "YouTube Data API key used when a channel has no token of its own."),
        Setting(
            "RATUSZ_YOUTUBE_DAILY_QUOTA",
            "10000",
            "YouTube quota units ratusz may spend per day (Pacific time); collection stops at the budget.",
        ),
        Setting("RATUSZ_COLLECT_LOOKBACK_DAYS", "30", "Days collected back from today when --since is not given."),
        Setting("RATUSZ_COLLECT_WINDOW_DAYS", "7", "Length in days of one resumable collection window."),
        Setting("RATUSZ_COLLECT_CONCURRENCY", "4", "Profiles collected at the same time (one thread each)."),
        Setting("RATUSZ_COLLECT_TIMEOUT", "30", "Seconds to wait for one platform API response."),
        Setting("RATUSZ_COLLECT_RETRIES", "5", "Retries of a failed or throttled request before giving up on it."),
        Setting("RATUSZ_COLLECT_RETRY_BASE", "1.0", "Seconds of the first retry delay (doubles each time, jittered)."),
        Setting(
            "RATUSZ_COLLECT_MAX_WAIT",
            "3600",
            "Cap in seconds on one back-off wait after throttling (the platform's own estimate is honoured up to it).",
        ),
        Setting(
            "RATUSZ_COLLECT_SLOWDOWN_AT",
            "75",
            "API usage percentage (rate-limit headers) above which collection slows down before the limit.",
        ),
        Setting("RATUSZ_EMAIL_HOST", "", "SMTP host for outgoing e-mail (empty: e-mails are written to the console)."),
        Setting("RATUSZ_EMAIL_PORT", "25", "SMTP port."),
        Setting("RATUSZ_EMAIL_USER", "", "SMTP user name."),
        Setting("RATUSZ_EMAIL_PASSWORD", "", "SMTP password."),
        Setting("RATUSZ_EMAIL_TLS", "0", "1 uses STARTTLS for SMTP."),
        Setting("RATUSZ_EMAIL_FROM", "ratusz <no-reply@localhost>", "Sender of outgoing e-mail."),
        Setting("RATUSZ_BASE_URL", "http://127.0.0.1:8000", "Public base URL, used in links sent by e-mail."),
        Setting(
            "RATUSZ_CACHE_DIR",
            "",
            "Folder of a cache shared by the server's worker processes (computed rankings, peer groups, "
            "page bodies); empty: each process keeps its own in memory.",
        ),
        Setting(
            "RATUSZ_HARM_THRESHOLD",
            "",
            "Harmful-comment threshold on the calibrated probability (a number between 0 and 1, e.g. 0.4); "
            "empty: the threshold trained with the model (best out-of-fold F1 on CBD). Lower flags more "
            "comments for the moderators' queue; a changed value re-scores stored comments once.",
        ),
        Setting(
            "RATUSZ_VOTE_RATE_LIMIT",
            "30,30",
            "Ballot page limits per minute: requests per voting link, then failed link lookups per client address.",
        ),
        Setting(
            "RATUSZ_TEST_POSTGRES",
            "",
            "Tests only: PostgreSQL URL; when set, `make test` runs the suite on PostgreSQL too.",
        ),
    ]
}


def get(name: str) -> str:
    """Return the value of a declared setting (environment first, then its default)."""
    return SETTINGS[name].get()


def flag(name: str) -> bool:
    """Return a declared setting read as a yes/no flag."""
    return get(name).strip().lower() in {"1", "true", "yes", "on"}


def home() -> Path:
    """Return the data folder (RATUSZ_HOME or ./var), creating it if needed."""
    path = Path(get("RATUSZ_HOME") or _home_default())
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings_markdown() -> str:
    """Return the settings reference as Markdown (the source of docs/settings.md)."""
    lines = ["# Settings", "", "Generated from `src/ratusz/config.py`.", "", "| name | default | meaning |", "|---|---|---|"]
    for s in SETTINGS.values():
        lines.append(f"| `{s.name}` | `{s.default}` | {s.help} |")
    return "\n".join(lines) + "\n"
