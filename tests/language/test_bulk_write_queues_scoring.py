"""Bulk imports bypass post_save: the import must still queue a scoring task for its new comments."""

import json

import pytest
from django_tasks_db.models import DBTaskResult

from ratusz.collect.importing.service import import_file


@pytest.mark.django_db(transaction=True)
def test_file_import_with_new_comments_queues_scoring(tmp_path):
    line = {
        "type": "post",
        "format_version": 1,
        "profile": {"platform": "facebook", "platform_id": "555", "name": "Gmina Test"},
        "platform_id": "555_1",
        "published_at": "2025-03-01T10:00:00+01:00",
        "text": "Zapraszamy na festyn",
        "comments": [
            {
                "platform_id": "c1",
                "author_id": "a1",
                "created_at": "2025-03-01T11:00:00+01:00",
                "text": "Kiedy?",
            }
        ],
    }
    f = tmp_path / "posts.jsonl"
    f.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert not DBTaskResult.objects.exists()
    import_file(f, "jsonl")
    assert DBTaskResult.objects.filter(task_path__endswith="score_comments", status="READY").count() == 1
