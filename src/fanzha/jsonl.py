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

__all__ = ["JsonlRow", "count_lines", "read_jsonl", "text_of", "write_jsonl_row"]

MAX_LINE_BYTES = 16 * 1024 * 1024
_LINE_BREAK_ESCAPES = MappingProxyType({0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"})


@dataclass(frozen=True, slots=True)
class JsonlRow:
    """One line of a JSON-lines file: the parsed object, or the error that line produced."""

    line: int
    data: dict[str, Any] | None
    error: InvalidInput | None


def count_lines(path: str | Path) -> int:
    """Return the number of lines in a file (for progress bars).

    Raises:
        NotFound: the file does not exist.
    """
    if not Path(path).is_file():
        raise NotFound(f"{path}: no such file")
    with open(path, "rb") as handle:
        return sum(buf.count(b"\n") for buf in iter(lambda: handle.read(1 << 20), b""))


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
        data = json.loads(decoded)
    except json.JSONDecodeError as exc:
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

    Raises:
        NotFound: the file does not exist.
    """
    file_path = Path(path)
    if not file_path.is_file():
        raise NotFound(f"{file_path}: no such file")
    source = file_path.name
    with open(file_path, "rb") as handle:
        for line, raw in enumerate(handle, start=1):
            stripped = raw.strip()
            if not stripped:
                continue
            yield _parse_line(stripped, line, source)


def text_of(row: JsonlRow, *, source: str) -> str:
    """Return the text to screen or learn from: ``title`` + newline + ``text`` when a title exists.

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
        return f"{title}\n{text}"
    return text


def write_jsonl_row(handle: IO[str], data: dict[str, Any]) -> None:
    """Write one object as a JSON line (UTF-8, Chinese kept readable).

    Characters that some readers take for line breaks (U+0085, U+2028, U+2029) are
    escaped, so every row stays on one line for any reader.
    """
    handle.write(json.dumps(data, ensure_ascii=False).translate(_LINE_BREAK_ESCAPES))
    handle.write("\n")
