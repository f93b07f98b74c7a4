from __future__ import annotations

import logging
import re

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save

_TOKEN_IN_PATH = re.compile(r"(/vote/b/)[A-Za-z0-9_-]+")


class RedactVoteTokens(logging.Filter):
    """Replace voting-link tokens in log lines (request logs of the dev server, gunicorn, Django) with ***."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is not ours to fix
            return True
        if "/vote/b/" in message:
            record.msg = _TOKEN_IN_PATH.sub(r"\1***", message)
            record.args = ()
        return True


def ensure_organiser_group(**kwargs) -> None:
    """Create the "organiser" group with every permission of the voting app (after each migrate)."""
    from django.contrib.auth.models import Group, Permission

    from ratusz.voting.models import organiser_group_name

    group, _ = Group.objects.get_or_create(name=organiser_group_name())
    perms = Permission.objects.filter(content_type__app_label="voting")
    group.permissions.add(*perms)


def _shortlist_changed(sender, instance, **kwargs) -> None:
    from ratusz.voting.models import Category, bump_shortlist_version

    if isinstance(instance, Category):
        election_id = instance.election_id
    else:  # the category may be gone already when an election is deleted
        election_id = Category.objects.filter(pk=instance.category_id).values_list("election_id", flat=True).first()
    if election_id is not None:
        bump_shortlist_version(election_id)


class VotingConfig(AppConfig):
    name = "ratusz.voting"
    verbose_name = "Głosowania (Złoty Lajk)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        post_migrate.connect(ensure_organiser_group, sender=self)
        from ratusz.voting.models import Category, ShortlistEntry

        for model in (Category, ShortlistEntry):
            post_save.connect(
                _shortlist_changed, sender=model, dispatch_uid=f"voting-shortlist-save-{model.__name__}"
            )
            post_delete.connect(
                _shortlist_changed, sender=model, dispatch_uid=f"voting-shortlist-del-{model.__name__}"
            )
        # Loggers that write request paths; plus every handler configured so far (propagated records).
        names = (
            "django.server",
            "django.request",
            "django.security.csrf",
            "gunicorn.access",
            "gunicorn.error",
        )
        targets = [logging.getLogger(n) for n in names]
        for logger in [logging.getLogger(), logging.getLogger("django"), *targets]:
            targets += logger.handlers
        for target in targets:
            if not any(isinstance(f, RedactVoteTokens) for f in target.filters):
                target.addFilter(RedactVoteTokens())
