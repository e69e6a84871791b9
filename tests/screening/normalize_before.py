"""The normalisation driver as it was before it recorded offsets, kept as a test oracle.

``normalize_text`` must give exactly what this gives for every input: the driver
changed (it records its edits), the tables and step functions did not. Copied from
``fanzha.screening._normalize`` at the commit before the change; not used by the product.
"""

from __future__ import annotations

import unicodedata

from fanzha.screening import _normalize as n

__all__ = ["normalize_text_before"]


def normalize_text_before(text: str) -> str:
    """``normalize_text`` before the single-pass normaliser."""
    if text.isascii():
        text = n._PRE_BMP_RE.sub(n.pre_repl, text).lower()
        unusual = n._ODD_SPACE_RE.search(text) is not None
    else:
        for wide, narrow in n._COMMON_WIDE:
            if wide in text:
                text = text.replace(wide, narrow)
        unusual = n._UNUSUAL_RE.search(text) is not None
        text = _fold_characters(text) if unusual else text.lower()
    if unusual or "  " in text or text[:1] == " " or text[-1:] == " ":
        text = n._LINE_BREAK_RUN_RE.sub("\n", text)
        text = n._SPACE_OTHER_RE.sub(" ", text).strip()
    text = _scan_sub(n.PRE_CONTACT, text)
    if not text.isascii():
        text = n.DECORATION_RE.sub("", text)
    for _ in range(n.CONTACT_ROUNDS):
        fixed = _scan_sub(n.CONTACT, text)
        if fixed == text:
            break
        text = n.DECORATION_RE.sub("", _scan_sub(n.PRE_CONTACT, fixed))
    while True:
        fixed = n.NUMERAL_RUN_RE.sub(n.numeral_repl, text) if not text.isascii() else text
        fixed = n.LETTER_RUN_RE.sub(n.letter_digit_repl, fixed)
        if fixed == text:
            return text
        text = fixed


def _fold_characters(text: str) -> str:
    text = n._PRE_BMP_RE.sub(n.pre_repl, text)
    if n._ASTRAL_RE.search(text):
        text = n._PRE_ASTRAL_RE.sub(n.pre_repl, text)
    if n._NFKC_MAY_CHANGE_RE.search(text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    if n._FOLD_RE.search(text):
        text = text.translate(n._FOLD)
        if n._DELETED in text:
            text = text.replace(n._DELETED, "")
    return text


def _scan_sub(rules: n.Rules, text: str) -> str:
    pieces: list[str] = []
    done = 0
    repl = n.ContactRepl(rules)
    for match in rules.matches(text):
        pieces.extend((text[done : match.start()], repl(match)))
        done = match.end()
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)
