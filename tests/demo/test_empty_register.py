"""The demo loads the unit register itself on an empty database (as on a fresh `make run`)."""

from __future__ import annotations

from datetime import date

import pytest

from ratusz.demo.generator import DemoOptions, generate
from ratusz.registry.models import Unit

pytestmark = pytest.mark.django_db


def test_the_register_is_loaded_when_empty():
    assert not Unit.objects.exists()
    result = generate(DemoOptions(profiles=3, months=1, end_date=date(2025, 3, 31)))
    assert Unit.objects.count() == 2875 and result.profiles == 3
