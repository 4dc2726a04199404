"""Builders and helpers shared by the tests. Test modules import from here, never from each other."""

import pkgutil

import pytest

# The helpers assert too; rewrite their asserts as pytest does a test module's, for clear failures.
pytest.register_assert_rewrite(*(f"{__name__}.{module.name}" for module in pkgutil.iter_modules(__path__)))
