"""Import progress: a redrawn bar on a terminal, plain periodic lines otherwise."""

from __future__ import annotations

import io
from pathlib import Path

from guessthatmovie.cli.progress import Progress
from guessthatmovie.importers.csvfile import CsvStream


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def stream(tmp_path: Path) -> CsvStream:
    path = tmp_path / "movies.csv"
    path.write_text("a,b\n" + "1,2\n" * 1000, encoding="utf-8")
    return CsvStream(path)


def test_plain_lines_every_interval_with_rows_and_rate(tmp_path: Path) -> None:
    out, clock = io.StringIO(), FakeClock()
    with stream(tmp_path) as csv_stream:
        progress = Progress("movies", csv_stream, out, interactive=False, clock=clock)
        clock.now += 5
        progress.tick(500)  # too soon for another line
        assert out.getvalue() == ""
        clock.now += 6
        progress.tick(1100)
        clock.now += 9
        progress.done(2000)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in out.getvalue()
    assert "1,100 rows" in lines[0] and "100 rows/s" in lines[0]
    assert "2,000 rows" in lines[1] and "100 rows/s" in lines[1]


def test_terminal_bar_redraws_in_place(tmp_path: Path) -> None:
    out, clock = io.StringIO(), FakeClock()
    with stream(tmp_path) as csv_stream:
        progress = Progress("reviews", csv_stream, out, interactive=True, clock=clock)
        for rows in range(1, 4):
            clock.now += 1
            progress.tick(rows * 10)
        list(csv_stream.rows())
        progress.done(1000)
    text = out.getvalue()
    assert text.count("\r") == 4 and text.endswith("\n")
    assert "100%" in text.splitlines()[-1].split("\r")[-1]
