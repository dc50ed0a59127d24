"""Ownership is recognised by name, and only the hub's own environment's names count."""

from __future__ import annotations

import pytest

from deh_deploy.names import owns


@pytest.mark.parametrize(
    ("name", "ours"),
    [
        ("DEH hungary staging voice", True),
        ("DEH hungary staging", True),
        ("deh-hungary-staging", True),
        ("deh_hungary_staging_callback_uk", True),
        ("DEH hungary production voice", False),
        ("DEH hungary staging2 voice", False),
        ("deh-hungary-stagingx", False),
        ("deh_hungary_stagingx_callback", False),
        ("deh--lease-hungary-staging", False),
        ("deh-lease-hungary-staging", False),
        ("Flex Task Assignment", False),
        ("Bought by hand", False),
        ("", False),
        (None, False),
    ],
)
def test_owns_only_names_of_this_hub_and_environment(name: str | None, ours: bool) -> None:
    assert owns("hungary", "staging", name) is ours
