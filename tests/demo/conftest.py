"""One small demo dataset per module (generated once; read-only tests share it), cleaned up afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from ratusz.demo.generator import DemoOptions, DemoResult

# 48 profiles (above the ~40-slot coverage set) over two months keep the dataset at a few thousand posts.
SMALL = DemoOptions(profiles=48, months=2, end_date=date(2025, 6, 30), seed=11)


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker) -> Iterator[DemoResult]:
    """Generate SMALL once for the module; delete it (and the register) when the module is done."""
    from ratusz.demo.generator import delete_demo, generate
    from ratusz.registry.models import Unit

    with django_db_blocker.unblock():
        try:
            yield generate(SMALL)
        finally:
            delete_demo()
            Unit.objects.all().delete()


@pytest.fixture(scope="module")
def units(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The unit register, loaded once for the module (tests still run in their own transactions)."""
    from ratusz.demo.generator import delete_demo
    from ratusz.registry.models import Unit
    from ratusz.registry.services import load_register

    with django_db_blocker.unblock():
        load_register()
        try:
            yield
        finally:
            delete_demo()
            Unit.objects.all().delete()
