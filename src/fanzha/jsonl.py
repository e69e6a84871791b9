"""Reading and writing JSON-lines files row by row, reporting bad lines instead of stopping.

A bad line (invalid UTF-8, not JSON, not an object, a required field missing or of the
wrong type) becomes an :class:`~fanzha.errors.InvalidInput` naming the file and the line;
the rows around it are still returned. Callers decide whether to stop at the first error
(``--strict``) or to go on and exit non-zero at the end.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any

from fanzha.errors import InvalidInput, NotFound

__all__ = [
    "JsonlRow",
    "count_lines",
    "read_jsonl",
    "require_file",
    "text_of",
    "write_jsonl_row",
]

MAX_LINE_BYTES = 16 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
_LINE_BREAK_ESCAPES = MappingProxyType({0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"})


@dataclass(frozen=True, slots=True)
class JsonlRow:
    """One line of a JSON-lines file: the parsed object, or the error that line produced."""

    line: int
    data: dict[str, Any] | None
    error: InvalidInput | None


def require_file(path: str | Path, *, field: str = "file") -> Path:
    """Return ``path`` if it is a readable file.

    Raises:
        NotFound: nothing exists at ``path``.
        InvalidInput: ``path`` is a directory or something else that is not a file.
    """
    file_path = Path(path)
    if not file_path.exists():
        raise NotFound(f"{file_path}: no such file")
    if not file_path.is_file():
        kind = "a directory" if file_path.is_dir() else "not a regular file"
        raise InvalidInput(f"{file_path} is {kind}; give a file", field=field, value=str(path))
    return file_path


def count_lines(path: str | Path) -> int:
    """Return the number of lines in a file (for progress bars).

    Raises:
        NotFound, InvalidInput: see :func:`require_file`.
    """
    with open(require_file(path), "rb") as handle:
        return sum(buf.count(b"\n") for buf in iter(lambda: handle.read(1 << 20), b""))


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not valid JSON; write numbers as numbers or null")


def _parse_line(raw: bytes, line: int, source: str) -> JsonlRow:
    if len(raw) > MAX_LINE_BYTES:
        error = InvalidInput(
            f"line is {len(raw)} bytes, more than the {MAX_LINE_BYTES} allowed",
            line=line,
            source=source,
        )
        return JsonlRow(line, None, error)
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        error = InvalidInput(
            f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8",
            line=line,
            source=source,
        )
        return JsonlRow(line, None, error)
    try:
        data = json.loads(decoded, parse_constant=_refuse_constant)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        error = InvalidInput(
            "holds an unpaired surrogate escape (\\ud800-\\udfff), which is not text",
            line=line,
            source=source,
        )
        return JsonlRow(line, None, error)
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):
            error = InvalidInput(str(exc), line=line, source=source)
            return JsonlRow(line, None, error)
        error = InvalidInput(
            f"not JSON ({exc.msg} at column {exc.colno}); each line must be one JSON object",
            line=line,
            source=source,
            value=decoded[:80],
        )
        return JsonlRow(line, None, error)
    if not isinstance(data, dict):
        error = InvalidInput(
            f"a JSON {type(data).__name__} is not an object; each line must be one JSON object",
            line=line,
            source=source,
        )
        return JsonlRow(line, None, error)
    return JsonlRow(line, data, None)


def read_jsonl(path: str | Path) -> Iterator[JsonlRow]:
    """Yield every non-blank line of ``path`` as a :class:`JsonlRow`.

    A UTF-8 byte-order mark at the start of the file (Windows Notepad) is ignored.

    Raises:
        NotFound, InvalidInput: see :func:`require_file`.
    """
    file_path = require_file(path)
    source = file_path.name
    with open(file_path, "rb") as handle:
        for line, raw in enumerate(handle, start=1):
            stripped = (raw.removeprefix(_BOM) if line == 1 else raw).strip()
            if not stripped:
                continue
            yield _parse_line(stripped, line, source)


def text_of(row: JsonlRow, *, source: str) -> tuple[str, int]:
    """Return the text to screen or learn from, and how many of its first characters are title.

    The text is ``title`` + newline + ``text`` when a title exists (news, case reports),
    else ``text``; the second value is ``len(title) + 1`` or 0.

    Raises:
        InvalidInput: ``text`` is missing, not a string or blank.
    """
    assert row.data is not None
    text = row.data.get("text")
    if text is None:
        raise InvalidInput(
            'missing; every row needs a "text" string', field="text", line=row.line, source=source
        )
    if not isinstance(text, str):
        raise InvalidInput(
            f"a {type(text).__name__}, expected a string",
            field="text",
            line=row.line,
            source=source,
        )
    if not text.strip():
        raise InvalidInput("empty; nothing to screen", field="text", line=row.line, source=source)
    title = row.data.get("title")
    if isinstance(title, str) and title.strip():
        return f"{title}\n{text}", len(title) + 1
    return text, 0


def write_jsonl_row(handle: IO[str], data: dict[str, Any]) -> None:
    """Write one object as a JSON line (UTF-8, Chinese kept readable).

    Characters that some readers take for line breaks (U+0085, U+2028, U+2029) are
    escaped, so every row stays on one line for any reader.
    """
    text = json.dumps(data, ensure_ascii=False)
    # str.translate walks every character in Python: only lines holding one pay for it.
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = text.translate(_LINE_BREAK_ESCAPES)
    handle.write(text)
    handle.write("\n")
