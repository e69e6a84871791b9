"""The screening pipeline: normalise → rules + phone/URL checks + text model → verdict."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

from fanzha.errors import InvalidInput
from fanzha.screening._normalize import normalize
from fanzha.screening._offsets import Normalized
from fanzha.screening._phone import check_phone, extract_phones
from fanzha.screening._rules import RuleEngine, default_engine
from fanzha.screening._textmodel import TextModel, predict_proba_together
from fanzha.screening._types import RuleHit
from fanzha.screening._url import check_url, extract_urls
from fanzha.screening._verdict import Verdict, combine_verdict, risk_weight

__all__ = [
    "MAX_TEXT_CHARS",
    "Screener",
    "check_text",
    "default_model_path",
    "detect_kind",
    "prepare_text",
]

MAX_TEXT_CHARS = 1_000_000
"""The longest text screened at once, in characters: the core, the CLI and the API use it."""
# The verdict sees the model's few most likely classes; the risk covers all of them.
TOP_CLASSES = 5
MAX_HITS_PER_RULE = 20
_URL_ONLY = re.compile(
    r"^\s*(?:[a-z][a-z0-9+.-]*://)?[a-z0-9.-]+\.[a-z]{2,}(?::\d+)?(?:[/?#]\S*)?\s*$|"
    r"^\s*[a-z][a-z0-9+.-]*://\S+\s*$",
    re.IGNORECASE,
)
# Cheap tests that let most texts skip the number and URL extractors.
_DIGIT_RUN = re.compile(r"\d{3}")
_PHONE_ONLY = re.compile(r"^\s*\+?[\d\s\-()（）]{3,24}\s*$")


def default_model_path() -> Path:
    """Return the folder of the text models shipped inside the package.

    It holds ``types/`` (the fraud type model) and ``risk/`` (a model of the
    categories fraud / illegal / advertising / normal, which ranks risk better).
    """
    return Path(str(resources.files("fanzha.screening") / "data" / "default_model"))


def detect_kind(value: str) -> str:
    """Guess whether ``value`` is a ``phone`` number, a ``url`` or free ``text``."""
    if _PHONE_ONLY.match(value) and sum(ch.isdigit() for ch in value) >= 3:
        return "phone"
    if _URL_ONLY.match(value):
        return "url"
    return "text"


def _check_shape(value: object, field: str, line: int | None, source: str | None) -> str:
    def fail(message: str) -> InvalidInput:
        return InvalidInput(message, field=field, line=line, source=source)

    if not isinstance(value, str):
        raise fail(f"a {type(value).__name__}, expected a string")
    if not value.strip():
        raise fail("empty; give a text, a phone number or a URL to screen")
    if len(value) > MAX_TEXT_CHARS:
        raise fail(
            f"{len(value)} characters, more than the {MAX_TEXT_CHARS} screened at once; "
            "split the text"
        )
    return value


def prepare_text(
    value: object, *, field: str = "text", line: int | None = None, source: str | None = None
) -> Normalized:
    """Return ``value`` normalised, if it can be screened; screening takes it as it is.

    Raises:
        InvalidInput: not a string, empty, longer than ``MAX_TEXT_CHARS`` characters, or
            nothing but invisible characters (empty once normalised); names ``field`` and
            ``line``.
    """
    text = _check_shape(value, field, line, source)
    return _check_normalized(normalize(text), field, line, source)


def check_text(
    value: object, *, field: str = "text", line: int | None = None, source: str | None = None
) -> str:
    """Return ``value`` if it can be screened (see :func:`prepare_text`)."""
    return prepare_text(value, field=field, line=line, source=source).original


def _check_normalized(
    normalized: Normalized, field: str, line: int | None, source: str | None
) -> Normalized:
    if not normalized.text.strip():
        raise InvalidInput(
            "holds only invisible or control characters; nothing to screen",
            field=field,
            line=line,
            source=source,
        )
    return normalized


class Screener:
    """Screens texts, phone numbers and URLs with one set of rules, checks and a text model.

    Parameters:
        model: the text model; ``None`` screens with rules and checks only.
        risk_model: an optional model whose classes are the taxonomy categories
            (fraud, illegal, advertising, normal); when given, the model part of the
            risk comes from it, and ``model`` only names the fraud type.
        engine: the text rule engine (default: every text rule of the taxonomy).
        phone_blocklist: numbers (E.164) that are known fraud numbers.
        url_blocklist: domains or hosts that are known fraud sites.
    """

    def __init__(
        self,
        *,
        model: TextModel | None,
        risk_model: TextModel | None = None,
        engine: RuleEngine | None = None,
        phone_blocklist: frozenset[str] = frozenset(),
        url_blocklist: frozenset[str] = frozenset(),
    ) -> None:
        self.model = model
        self.risk_model = risk_model
        self.engine = engine if engine is not None else default_engine()
        self.phone_blocklist = phone_blocklist
        self.url_blocklist = url_blocklist

    @classmethod
    def default(cls) -> Screener:
        """Return a screener with the shipped model and every rule."""
        types, risk = _default_models()
        return cls(model=types, risk_model=risk)

    def _contact_hits(self, normalised: str) -> list[RuleHit]:
        """Hits of the numbers and links in a text: each distinct one checked once, and
        at most ``MAX_HITS_PER_RULE`` hits kept per rule (a long text repeats its number)."""
        found: list[tuple[int, str, str]] = []
        if _DIGIT_RUN.search(normalised) is not None:
            found.extend(
                (start, "phone", number) for start, _, number in extract_phones(normalised)
            )
        if "." in normalised or "://" in normalised:
            found.extend((start, "url", url) for start, _, url in extract_urls(normalised))
        checked: dict[tuple[str, str], tuple[RuleHit, ...]] = {}
        per_rule: dict[str, int] = {}
        hits: list[RuleHit] = []
        for start, kind, value in found:
            key = (kind, value)
            if key not in checked:
                if kind == "phone":
                    checked[key] = check_phone(value, blocklist=self.phone_blocklist).hits
                else:
                    checked[key] = check_url(value, blocklist=self.url_blocklist).hits
            for hit in checked[key]:
                per_rule[hit.rule_id] = per_rule.get(hit.rule_id, 0) + 1
                if per_rule[hit.rule_id] <= MAX_HITS_PER_RULE:
                    hits.append(_shift(hit, start))
        return hits

    def _text_hits(self, normalized: Normalized) -> tuple[RuleHit, ...]:
        """Rule, number and link hits, with spans in the original text."""
        hits = [*self.engine.match(normalized.text), *self._contact_hits(normalized.text)]
        if not hits:
            return ()
        text = normalized.original
        spans = normalized.original_spans((hit.start, hit.end) for hit in hits)
        mapped = [
            replace(hit, start=start, end=end, matched=text[start:end])
            for hit, (start, end) in zip(hits, spans, strict=True)
        ]
        return tuple(sorted(mapped, key=lambda hit: (hit.start, -hit.weight)))

    def screen_texts(
        self,
        texts: Sequence[str | Normalized],
        *,
        progress: Callable[[int], None] | None = None,
        batch_size: int = 512,
    ) -> list[Verdict]:
        """Screen many texts in batches; returns one verdict per text, in order.

        A text is a string or what :func:`prepare_text` made of one; each is normalised
        once, and rules, number and link checks, the models and the spans of the hits
        all use that one normalisation.

        Raises:
            InvalidInput: a text is not a string, empty, only invisible characters or
                longer than ``MAX_TEXT_CHARS`` characters (names its index).
        """
        for index, text in enumerate(texts):
            original = text.original if isinstance(text, Normalized) else text
            _check_shape(original, f"texts[{index}]", None, None)
        verdicts: list[Verdict] = []
        for begin in range(0, len(texts), batch_size):
            batch = [
                _check_normalized(
                    text if isinstance(text, Normalized) else normalize(text),
                    f"texts[{begin + index}]",
                    None,
                    None,
                )
                for index, text in enumerate(texts[begin : begin + batch_size])
            ]
            verdicts.extend(self._screen_batch(batch))
            if progress is not None:
                progress(len(batch))
        return verdicts

    def _screen_batch(self, batch: Sequence[Normalized]) -> list[Verdict]:
        models = [m for m in (self.model, self.risk_model) if m is not None]
        outputs = predict_proba_together(models, [normalized.text for normalized in batch])
        if self.model is not None:
            probabilities, classes = outputs[0], self.model.classes_
        else:
            probabilities, classes = np.zeros((len(batch), 0)), ()
        top = np.argsort(-probabilities, axis=1)[:, :TOP_CLASSES]
        if self.risk_model is not None:
            risks = _model_risk(self.risk_model.classes_, outputs[-1], is_category=True)
        else:
            risks = _model_risk(classes, probabilities, is_category=False)
        return [
            combine_verdict(
                kind="text",
                value=normalized.original,
                hits=self._text_hits(normalized),
                model_scores=[(classes[j], float(probabilities[i, j])) for j in top[i]],
                model_risk=float(risks[i]) if models else None,
            )
            for i, normalized in enumerate(batch)
        ]

    def screen_text(self, text: str) -> Verdict:
        """Screen one text (SMS, chat, dialogue, case narrative)."""
        return self.screen_texts([prepare_text(text)])[0]

    def screen_phone(self, number: str) -> Verdict:
        """Screen one phone number."""
        check = check_phone(check_text(number, field="phone"), blocklist=self.phone_blocklist)
        return combine_verdict(kind="phone", value=number, hits=check.hits)

    def screen_url(self, url: str) -> Verdict:
        """Screen one URL."""
        check = check_url(check_text(url, field="url"), blocklist=self.url_blocklist)
        return combine_verdict(kind="url", value=url, hits=check.hits)

    def screen(self, value: str, *, kind: str | None = None) -> Verdict:
        """Screen a value as ``kind`` (text, phone, url), or as the kind it looks like."""
        chosen = kind
        if not chosen:  # guess; a text is screened with the normalisation the check made
            prepared = prepare_text(value, field="value")
            chosen = detect_kind(value)
            if chosen == "text":
                return self.screen_texts([prepared])[0]
        if chosen == "phone":
            return self.screen_phone(value)
        if chosen == "url":
            return self.screen_url(value)
        if chosen == "text":
            return self.screen_text(value)
        raise InvalidInput(f"{chosen!r} is not one of text, phone, url", field="kind", value=kind)


def _model_risk(
    classes: Sequence[str], probabilities: np.ndarray, *, is_category: bool
) -> np.ndarray:
    """Per text: the model's risk, Σ risk_weight(class) × probability, at most 1."""
    weights = np.array([risk_weight(label, is_category=is_category) for label in classes])
    if not len(classes):
        return np.zeros(len(probabilities))
    return np.asarray(np.minimum(probabilities @ weights, 1.0))


@cache
def _default_models() -> tuple[TextModel, TextModel]:
    folder = default_model_path()
    return TextModel.load(folder / "types"), TextModel.load(folder / "risk")


def _shift(hit: RuleHit, offset: int) -> RuleHit:
    return replace(hit, start=hit.start + offset, end=hit.end + offset)
