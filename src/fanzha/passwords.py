"""The password policy for officer accounts: long, not the user name, not a common password.

A core module: the API applies it when an account is created or its password reset. The
demo city's shared password is on the list, so it can never be given to a real account; the
server accepts it at login only in demo mode (``fanzha serve --demo``).
"""

from __future__ import annotations

from importlib import resources

__all__ = ["COMMON_PASSWORDS", "DEMO_PASSWORD", "MIN_LENGTH", "password_problem"]

MIN_LENGTH = 12
DEMO_PASSWORD = "fanzha-demo"
"""The password of every demo-city user (``fanzha demo-data``, ``fanzha serve --demo``)."""
_MIN_DISTINCT = 5
_CONTAINED_FROM = 8
_EDGES = "0123456789!@#$%^&*()-_=+.,;:~`'\"?/\\|[]{}<> "


def _load_common() -> frozenset[str]:
    text = resources.files("fanzha").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().casefold() for line in text.splitlines() if line.strip()[:1] not in ("", "#")
    )


COMMON_PASSWORDS = _load_common()
_LONG_COMMON = tuple(word for word in COMMON_PASSWORDS if len(word) >= _CONTAINED_FROM)


def _is_common(folded: str) -> bool:
    core = folded.strip(_EDGES)
    return (
        folded in COMMON_PASSWORDS
        or core in COMMON_PASSWORDS
        or any(word in folded for word in _LONG_COMMON)
    )


def password_problem(password: str, *, username: str) -> str | None:
    """What is wrong with ``password`` for the account ``username`` (Chinese), or None."""
    folded = password.casefold()
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 个字符 (at least {MIN_LENGTH} characters)"
    name = username.strip().casefold()
    if len(name) >= 3 and name in folded:
        return "密码不能包含用户名 (must not contain the user name)"
    if DEMO_PASSWORD in folded:
        return "不能使用演示密码 (must not contain the demo password)"
    if len(set(folded)) < _MIN_DISTINCT:
        return "密码中不同字符太少 (too few different characters)"
    if _is_common(folded):
        return "密码过于常见，容易被猜中 (a common password)"
    return None
