"""What :class:`~fanzha.screening.TextModel` takes: its hyperparameters, stored unchanged
and checked at fit, and its texts: checked, cut into chunks and their first line."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from fanzha.errors import InvalidInput

__all__: list[str] = []

# Texts are featurised in chunks of about this many characters, which bounds
# the memory a huge batch or a 1 MB text needs (about 100 bytes per character).
_CHUNK_CHARS = 2_000_000
# The n-grams of a text's first line are also counted in a view of their own; their
# bucket ids are XOR-ed with this so they do not share buckets with the same n-grams
# elsewhere in the text (it is cut to ``bits``).
_HEAD_SALT = 0x2AAAAAA
# A first line like "张伟：你好" is a dialogue's first turn, not a title.
_SPEAKER_TURN = re.compile(r"[^：:\n]{1,12}[：:]")


def _check_param(name: str, value: object, ok: bool, expected: str) -> None:
    if not ok:
        raise InvalidInput(
            f"got {value!r}; expected {expected}", field=name, value=value, source="TextModel"
        )


def _check_texts(texts: object, field: str) -> list[str]:
    if isinstance(texts, str) or not isinstance(texts, Sequence):
        raise InvalidInput(
            f"got {type(texts).__name__}; pass a list of strings",
            field=field,
            value=type(texts).__name__,
        )
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise InvalidInput(
                f"item {i} is {type(text).__name__}, not a string; pass text only",
                field=field,
                value=text,
            )
    return list(texts)


class TextModelParams:
    """The hyperparameters of :class:`~fanzha.screening.TextModel` (listed there)."""

    def __init__(
        self,
        *,
        max_n: int = 4,
        bits: int = 22,
        min_df: int = 2,
        max_features: int = 150_000,
        head_weight: float = 0.5,
        use_idf: bool = True,
        C: float = 1.0,
        class_weight: str | None = "balanced",
        calibration_folds: int = 3,
        seed: int = 0,
    ) -> None:
        self.max_n = max_n
        self.bits = bits
        self.min_df = min_df
        self.max_features = max_features
        self.head_weight = head_weight
        self.use_idf = use_idf
        self.C = C
        self.class_weight = class_weight
        self.calibration_folds = calibration_folds
        self.seed = seed

    def get_params(self) -> dict[str, Any]:
        """Return the hyperparameters as a dict."""
        return {
            "max_n": self.max_n,
            "bits": self.bits,
            "min_df": self.min_df,
            "max_features": self.max_features,
            "head_weight": self.head_weight,
            "use_idf": self.use_idf,
            "C": self.C,
            "class_weight": self.class_weight,
            "calibration_folds": self.calibration_folds,
            "seed": self.seed,
        }

    def _validate_params(self) -> None:
        def is_int(v: object) -> bool:
            return isinstance(v, int) and not isinstance(v, bool)

        _check_param("max_n", self.max_n, is_int(self.max_n) and 1 <= self.max_n <= 8, "1..8")
        _check_param("bits", self.bits, is_int(self.bits) and 8 <= self.bits <= 26, "8..26")
        _check_param("min_df", self.min_df, is_int(self.min_df) and self.min_df >= 1, "int >= 1")
        _check_param(
            "max_features",
            self.max_features,
            is_int(self.max_features) and self.max_features >= 1,
            "int >= 1",
        )
        _check_param(
            "head_weight",
            self.head_weight,
            isinstance(self.head_weight, int | float)
            and not isinstance(self.head_weight, bool)
            and math.isfinite(self.head_weight)
            and 0 <= self.head_weight <= 10,
            "a number in 0..10",
        )
        _check_param("use_idf", self.use_idf, isinstance(self.use_idf, bool), "True or False")
        _check_param(
            "C",
            self.C,
            isinstance(self.C, int | float) and math.isfinite(self.C) and self.C > 0,
            "a number > 0",
        )
        _check_param(
            "class_weight",
            self.class_weight,
            self.class_weight in (None, "balanced"),
            '"balanced" or None',
        )
        _check_param(
            "calibration_folds",
            self.calibration_folds,
            is_int(self.calibration_folds) and 0 <= self.calibration_folds <= 20,
            "0..20",
        )
        _check_param("seed", self.seed, is_int(self.seed), "an int")


def _head(text: str) -> str:
    """The first line of a text of several lines unless it is a speaker's turn, else ""."""
    head, newline, _rest = text.partition("\n")
    return head if newline and not _SPEAKER_TURN.match(head) else ""


def _chunks(texts: Sequence[str]) -> list[tuple[int, int]]:
    """Index ranges of consecutive texts holding about ``_CHUNK_CHARS`` characters each."""
    bounds = []
    begin, size = 0, 0
    for i, text in enumerate(texts):
        size += len(text)
        if size >= _CHUNK_CHARS:
            bounds.append((begin, i + 1))
            begin, size = i + 1, 0
    if begin < len(texts) or not bounds:
        bounds.append((begin, len(texts)))
    return bounds
