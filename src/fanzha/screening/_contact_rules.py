"""Internal helpers shared by the phone and URL checks; nothing here is public API.

The rules themselves (``taxonomy/data/rules_phone_url.yaml``) come from the taxonomy;
the ``screening/data`` tables are read here, once per process.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from fanzha.errors import InvalidInput, NotFound
from fanzha.screening._types import RuleHit, hit_from_rule, noisy_or
from fanzha.taxonomy import rule

__all__: list[str] = []


@cache
def load_package_yaml(*parts: str) -> Any:
    """Return the parsed YAML file at ``fanzha/<parts...>`` (cached)."""
    resource = resources.files("fanzha").joinpath(*parts)
    return yaml.safe_load(resource.read_text(encoding="utf-8"))


def make_hit(rule_id: str, raw: str, start: int, end: int) -> RuleHit:
    """Return a RuleHit for ``rule_id`` covering ``raw[start:end]``."""
    return hit_from_rule(rule(rule_id), raw, start, end)


def risk_of(hits: Iterable[RuleHit]) -> float:
    """The risk of a number or URL: the noisy-OR of its hits' weights."""
    return round(noisy_or(hit.weight for hit in hits), 6)


def read_list_file(path: Path, *, what: str) -> list[tuple[int, str]]:
    """(line number, entry) of a one-entry-a-line file; ``#`` starts a comment.

    Raises:
        NotFound: the file does not exist.
        InvalidInput: it is a directory or not UTF-8 text.
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise NotFound(f"{what} {str(path)!r} does not exist") from None
    except IsADirectoryError:
        raise InvalidInput(f"{what} {str(path)!r} is a directory; give a file") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{what} {str(path)!r} is not UTF-8 text (byte {exc.start}); save it as UTF-8"
        ) from None
    entries = []
    for line_no, line in enumerate(text.splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()
        if entry:
            entries.append((line_no, entry))
    return entries
