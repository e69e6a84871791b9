"""The password policy (issue 15 item 6)."""

from __future__ import annotations

import pytest

from fanzha.passwords import COMMON_PASSWORDS, MIN_LENGTH, password_problem


def test_a_long_unusual_password_passes() -> None:
    assert password_problem("马上-Correct-horse-42", username="analyst") is None


@pytest.mark.parametrize(
    ("password", "username"),
    [
        ("x" * (MIN_LENGTH - 1), "u"),
        ("warn_qingxiu_1", "warn_qingxiu_1"),
        ("WARN_QINGXIU_1", "warn_qingxiu_1"),
        ("password1234", "u"),
        ("qwertyuiop12", "u"),
        ("fanzha-demo", "u"),
        ("fanzha-demo-2026", "u"),
        ("aaaaaaaaaaaaaa", "u"),
    ],
)
def test_weak_passwords_are_refused(password: str, username: str) -> None:
    assert password_problem(password, username=username)


def test_the_list_is_shipped_and_normalised() -> None:
    assert len(COMMON_PASSWORDS) >= 100
    assert all(item == item.casefold().strip() for item in COMMON_PASSWORDS)
