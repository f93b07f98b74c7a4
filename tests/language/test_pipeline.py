"""Scoring stored comments: versions recorded, re-scoring on a new version, moderation flags, moods."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from ratusz.collect.models import Comment
from ratusz.language.model import get
from ratusz.language.moods import daily_shares, flagged_comments, mood_summary, open_questions
from ratusz.language.pipeline import pending, score_stored
from tests.factories import make_comment, make_post, make_profile

HATE = "Ty głupi debilu, zamknij ryj, śmieciu jeden."


@pytest.fixture
def thread(db):
    profile = make_profile()
    post = make_post(profile, datetime(2025, 3, 1, 10, tzinfo=UTC))
    day1, day2 = datetime(2025, 3, 1, 12, tzinfo=UTC), datetime(2025, 3, 2, 12, tzinfo=UTC)
    comments = [
        make_comment(post, "Świetna robota, dziękujemy! Wspaniały festyn.", created_at=day1),
        make_comment(post, "Fatalna organizacja, beznadziejnie, kompletna porażka.", created_at=day1),
        make_comment(post, HATE, created_at=day2),
        make_comment(post, "Kiedy będzie remont ulicy Polnej?", created_at=day2),
        make_comment(post, "", created_at=day2),
    ]
    make_comment(
        post,
        "Dziękujemy, przekażemy.",
        created_at=day2 + timedelta(hours=1),
        is_from_profile=True,
        parent=comments[1],
    )
    return profile, post, comments


def test_scoring_fills_every_field_and_records_the_model_version(thread):
    profile, post, comments = thread
    run = score_stored()
    assert run.scored == 6 and run.model_version == get().version
    assert pending().count() == 0
    c = {x.text: x for x in Comment.objects.all()}
    assert c[HATE].harm in {"cyberbullying", "hate"} and c[HATE].moderation_state == "flagged"
    assert c["Kiedy będzie remont ulicy Polnej?"].is_question is True
    assert c["Świetna robota, dziękujemy! Wspaniały festyn."].sentiment == "positive"
    assert set(c["Świetna robota, dziękujemy! Wspaniały festyn."].sentiment_scores) == {
        "negative",
        "neutral",
        "positive",
        "ambivalent",
    }
    assert c[""].sentiment == "" and c[""].scored_model_version == get().version
    assert list(flagged_comments()) == [c[HATE]]
    from ratusz.language.models import ScoringRun

    log = ScoringRun.objects.get()
    assert (log.model_version, log.scored, log.flagged, log.trigger) == (get().version, 6, 1, "cli")


def test_a_second_run_does_nothing_and_a_new_model_version_rescores(thread):
    score_stored()
    assert score_stored().scored == 0
    Comment.objects.filter(text=HATE).update(scored_model_version="lang1-older", harm="")
    assert score_stored().scored == 1
    assert Comment.objects.get(text=HATE).harm in {"cyberbullying", "hate"}
    assert score_stored(all_comments=True).scored == 6


def test_a_moderators_decision_survives_rescoring(thread):
    score_stored()
    Comment.objects.filter(text=HATE).update(moderation_state="approved")
    score_stored(all_comments=True)
    assert Comment.objects.get(text=HATE).moderation_state == "approved"


def test_parallel_workers_give_the_same_scores_as_one_process(thread):
    score_stored(workers=1)
    one = list(
        Comment.objects.order_by("pk").values_list("sentiment", "harm", "harm_probability", "is_question")
    )
    run = score_stored(all_comments=True, workers=2, batch=2)
    assert run.scored == 6
    two = list(
        Comment.objects.order_by("pk").values_list("sentiment", "harm", "harm_probability", "is_question")
    )
    assert one == two


def test_daily_shares_count_residents_only_and_per_day(thread):
    profile, post, _ = thread
    score_stored()
    rows = daily_shares(profile=profile)
    assert [r["date"] for r in rows][-2:] == [date(2025, 3, 1), date(2025, 3, 2)]
    d1, d2 = rows[-2], rows[-1]
    assert (d1["comments"], d1["scored"], d1["negative"], d1["negative_share"]) == (2, 2, 1, 0.5)
    assert d2["comments"] == 3  # the profile's reply is not a resident's comment
    assert d2["scored"] == 2 and d2["harmful"] == 1 and d2["harmful_share"] == 0.5
    summary = mood_summary(post=post)
    assert summary["comments"] == 5 and summary["questions"] == 1 and summary["flagged"] == 1
    assert [c.text for c in open_questions(profile=profile)] == ["Kiedy będzie remont ulicy Polnej?"]


def test_score_stored_cli_prints_a_summary(thread, cli):
    result = cli("language", "score-stored", "--workers", "1")
    assert result.exit_code == 0, result.output
    assert "Ocenione: 6" in result.output
    result = cli("language", "score-stored")
    assert "już ocenione" in result.output


def test_the_background_task_scores_pending_comments(thread):
    from django_tasks_db.models import DBTaskResult

    from ratusz.language.tasks import enqueue_scoring, score_comments

    assert enqueue_scoring() is True
    assert enqueue_scoring() is False  # one waiting task is enough
    assert DBTaskResult.objects.filter(task_path=score_comments.module_path).count() == 1
    assert score_comments.call()["scored"] == 6
