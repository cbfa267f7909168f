"""Progress for long imports: a redrawn bar on a terminal, a plain line now and then otherwise."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from guessthatmovie.importers.csvfile import CsvStream


class Progress:
    """Show how far one file's import has got: percentage of bytes, rows and rows per second."""

    def __init__(
        self,
        label: str,
        stream: CsvStream,
        out: TextIO,
        interactive: bool,
        clock: Callable[[], float] = time.monotonic,
        every: float | None = None,
    ) -> None:
        self.label = label
        self.stream = stream
        self.out = out
        self.interactive = interactive
        self.clock = clock
        self.started = clock()
        # Redraw a bar often; write a plain line (logs, CI) every ten seconds.
        self.every = every if every is not None else (0.2 if interactive else 10.0)
        self.last = self.started

    def _line(self, rows: int) -> str:
        elapsed = max(self.clock() - self.started, 1e-9)
        share = self.stream.bytes_read / self.stream.size if self.stream.size else 1.0
        share = min(share, 1.0)
        bar = "#" * int(share * 30)
        return (
            f"{self.label:8} [{bar:<30}] {share:4.0%} {rows:>10,} rows "
            f"{rows / elapsed:>9,.0f} rows/s {elapsed:6.1f}s"
        )

    def tick(self, rows: int) -> None:
        """Redraw if it is time to."""
        now = self.clock()
        if now - self.last < self.every:
            return
        self.last = now
        if self.interactive:
            self.out.write("\r" + self._line(rows))
        else:
            self.out.write(self._line(rows) + "\n")
        self.out.flush()

    def done(self, rows: int) -> None:
        """Write the final state of this file."""
        prefix = "\r" if self.interactive else ""
        self.out.write(prefix + self._line(rows) + "\n")
        self.out.flush()
