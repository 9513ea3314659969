"""The rules app keeps reference tables in memory; a test that edits them inside its
transaction must not leave the next test a cache of rows that were rolled back."""
from __future__ import annotations

import pytest

from rules import precarity, selectors, zones


@pytest.fixture(autouse=True)
def fresh_reference_caches():
    zones.clear_cache()
    precarity.clear_cache()
    selectors.forget_rules()
    yield
    zones.clear_cache()
    precarity.clear_cache()
    selectors.forget_rules()
