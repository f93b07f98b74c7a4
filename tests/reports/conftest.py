"""The reports use the ranking dataset of the page tests."""

from tests.metrics_web.conftest import _fresh_cache, ranking_data  # noqa: F401
