"""The district rule of the role table: who is kept to a district, who may hold a task."""

from __future__ import annotations

import pytest

from fanzha.errors import PermissionDenied
from fanzha.roles import (
    ANONYMOUS,
    CITY_WIDE_ROLES,
    ROLES,
    Actor,
    district_scope,
    in_scope,
    may_hold_task,
)


@pytest.mark.parametrize("role", ROLES)
def test_city_wide_roles_see_the_city_and_others_their_district(role: str) -> None:
    scope = district_scope(Actor(1, "u", role, district="青秀区"))
    assert scope == (None if role in CITY_WIDE_ROLES else "青秀区")


def test_an_officer_without_a_district_is_the_city_pool() -> None:
    assert district_scope(Actor(1, "u", "warning_officer")) is None


def test_the_anonymous_caller_has_no_scope() -> None:
    with pytest.raises(PermissionDenied):
        district_scope(Actor(None, ANONYMOUS, ANONYMOUS))


def test_in_scope() -> None:
    assert in_scope(None, "横州市") and in_scope(None, None)
    assert in_scope("青秀区", "青秀区")
    assert not in_scope("青秀区", "横州市") and not in_scope("青秀区", None)


@pytest.mark.parametrize(
    ("role", "district", "task_district", "expected"),
    [
        ("warning_officer", "青秀区", "青秀区", True),
        ("warning_officer", "青秀区", "横州市", False),
        ("warning_officer", "青秀区", None, False),
        ("warning_officer", None, "横州市", True),
        ("commander", None, "横州市", True),
        ("outreach_officer", None, "青秀区", False),
        ("outreach_officer", "青秀区", "青秀区", False),
        ("analyst", None, "青秀区", False),
        ("admin", None, "青秀区", False),
    ],
)
def test_may_hold_task(
    role: str, district: str | None, task_district: str | None, expected: bool
) -> None:
    assert may_hold_task(role, district, task_district) is expected
