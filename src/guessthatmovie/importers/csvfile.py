"""Stream a CSV dump row by row: constant memory, byte progress, bad rows reported not raised."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

# A field longer than this is a broken quote swallowing the file, not a review.
FIELD_LIMIT = 1_000_000


class WrongShape(Exception):
    """Raised when a file's header is not one of the formats we read."""


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be read: where it is and why."""

    path: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.reason}"


class _CountingReader(io.RawIOBase):
    """A raw binary reader that counts the bytes it has handed on (for the progress bar)."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self.consumed += len(data)
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


class CsvStream:
    """Iterate over a CSV file's records as (line number, fields), the header read up front."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.size = path.stat().st_size
        self._counter = _CountingReader(path.open("rb"))
        # utf-8-sig drops a BOM; newline="" lets csv handle CRLF and newlines inside quotes.
        self._text = io.TextIOWrapper(
            io.BufferedReader(self._counter, 1 << 16),
            encoding="utf-8-sig",
            errors="replace",
            newline="",
        )
        csv.field_size_limit(FIELD_LIMIT)
        self._reader = csv.reader(self._text)
        try:
            first = next(self._reader)
        except (StopIteration, csv.Error):
            first = []
        self.header = [name.strip() for name in first]
        self.bad_rows: list[BadRow] = []

    @property
    def bytes_read(self) -> int:
        """Return how far into the file the reader has got."""
        return self._counter.consumed

    def columns(self, names: tuple[str, ...]) -> list[int]:
        """Return the positions of the named columns in the header."""
        return [self.header.index(name) for name in names]

    def rows(self) -> Iterator[tuple[int, list[str]] | BadRow]:
        """Yield each record with the line it starts on, or a BadRow for one that is malformed."""
        width = len(self.header)
        line = self._reader.line_num + 1
        while True:
            try:
                fields = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield BadRow(str(self.path), line, f"unreadable CSV ({error})")
                line = self._reader.line_num + 1
                continue
            if not fields:
                line = self._reader.line_num + 1
                continue  # a blank line
            if len(fields) != width:
                yield BadRow(
                    str(self.path), line, f"{len(fields)} fields where the header has {width}"
                )
            else:
                yield line, fields
            line = self._reader.line_num + 1

    def close(self) -> None:
        """Close the file."""
        self._text.close()

    def __enter__(self) -> CsvStream:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
