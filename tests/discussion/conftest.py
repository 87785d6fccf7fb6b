"""The organisation of the pilot tests (tests/pilots/conftest.py)."""

from tests.pilots.conftest import org  # noqa: F401  (fixture)
