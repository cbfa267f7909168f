"""Only real sentences in the players' language: source notes, other languages, lost accents,
reviews the dump repeats, and the footer that says where the snippets come from."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from flask import Flask

from guessthatmovie.extensions import db
from guessthatmovie.game.clues import clean_review
from guessthatmovie.importers.language import judge_for
from guessthatmovie.models import Movie, ReviewSnippet
from tests.rt_dumps import GOOD, RT2023_MOVIE_COLUMNS, RT2023_REVIEW_COLUMNS


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("[Full review in Spanish]", ""),
        ("A tender, funny film. [Blu-ray]", "A tender, funny film."),
        ("<p>A <em>tender</em> film [Full review in Portuguese]</p>", "A tender film"),
        (
            "[...] the best hour of the year, [and] then it ends.",
            "the best hour of the year, then it ends.",
        ),
    ],
)
def test_source_notes_and_markup_are_stripped(raw: str, clean: str) -> None:
    assert clean_review(raw) == clean


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("A patient, handsome piece of work that trusts its audience to keep up.", None),
        ("Turgid, lumpy and almost unwatchably dull from the first reel.", None),
        ("Una película hermosa y triste sobre la memoria y el olvido de un pueblo.", "not in en"),
        ("Ein wunderbarer Film über Freundschaft, den man so schnell nicht vergisst.", "not in en"),
        (
            "Une intrigue fascinante prsente avec lgret et charme par une troupe superbe.",
            "accents lost",
        ),
        ("Um filme delicado sobre a memria, a famlia e o tempo que no volta mais.", "accents lost"),
        ("A film that pr?sents its story with l?g?ret? and charm.", "accents lost"),
    ],
)
def test_only_reviews_in_the_players_language_with_their_letters(
    text: str, reason: str | None
) -> None:
    assert judge_for("en")(text) == reason


def test_the_players_language_is_a_setting() -> None:
    french = "Un film tendre et drôle, porté par une actrice éblouissante du début à la fin."
    assert judge_for("fr")(french) is None
    assert judge_for("en")(french) == "not in en"


def _write_2023_with_repeats(folder: Path) -> tuple[Path, Path]:
    movies = folder / "movies.csv"
    reviews = folder / "reviews.csv"
    with movies.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, RT2023_MOVIE_COLUMNS, restval="")
        writer.writeheader()
        writer.writerow({"id": "tide", "title": "The Salt Tide", "audienceScore": "80",
                         "tomatoMeter": "75", "releaseDateTheaters": "2012-04-04",
                         "genre": "Drama"})  # fmt: skip
    with reviews.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, RT2023_REVIEW_COLUMNS, restval="")
        writer.writeheader()
        rows = [
            {"id": "tide", "reviewId": f"r{i}", "criticName": f"Writer {i}",
             "isTopCritic": "False", "publicatioName": f"Daily {i}", "reviewText": text,
             "reviewState": "fresh" if fresh else "rotten"}
            for i, (text, fresh, _top) in enumerate(GOOD)
        ]  # fmt: skip
        # The dump repeats every review once, later in the file: same review id, same words.
        writer.writerows(rows + rows)
    return movies, reviews


def test_a_review_the_dump_repeats_is_counted_once(app: Flask, tmp_path: Path) -> None:
    movies, reviews = _write_2023_with_repeats(tmp_path)
    args = ["catalog", "import", "--movies", str(movies), "--reviews", str(reviews)]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert f"{len(GOOD)} repeated review id" in result.output
    with app.app_context():
        movie = db.session.scalars(db.select(Movie)).one()
        assert movie.critic_count == len(GOOD)  # not twice as many
        stored = db.session.scalars(db.select(ReviewSnippet)).all()
        assert len(stored) == len({s.text for s in stored})
    kept = next(line for line in result.output.splitlines() if line.startswith("Snippets:"))
    assert kept.startswith(f"Snippets: {len(stored)} kept;")


def _footer(app: Flask) -> str:
    page = BeautifulSoup(app.test_client().get("/").data, "html.parser")
    return " ".join(page.select_one("[data-snippet-sources]").get_text().split())


def test_the_footer_names_where_snippets_come_from(
    app: Flask, catalogue: None, tmp_path: Path
) -> None:
    assert _footer(app).endswith("review snippets are written for this game (the bundled sample).")
    movies, reviews = _write_2023_with_repeats(tmp_path)
    args = ["catalog", "import", "--movies", str(movies), "--reviews", str(reviews)]
    assert app.test_cli_runner().invoke(args=args).exit_code == 0
    assert _footer(app).endswith(
        "review snippets are quoted from the critics named on each clue, or written for this "
        "game (the bundled sample)."
    )
    with app.app_context():
        db.session.execute(db.delete(ReviewSnippet).where(ReviewSnippet.source_key.is_(None)))
        db.session.commit()
        from guessthatmovie.store.catalogue import forget_title_entries

        forget_title_entries()
    assert _footer(app).endswith("review snippets are quoted from the critics named on each clue.")


def test_web_workers_never_load_the_language_model(tmp_path: Path) -> None:
    """The model (and numpy) stay out of a web worker: only `catalog import` loads them."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from guessthatmovie import create_app\n"
        "app = create_app({'TESTING': True, 'SECRET_KEY': 'x', "
        f"'SQLALCHEMY_DATABASE_URI': 'sqlite:///{tmp_path}/db.sqlite'}})\n"
        "app.test_client().get('/healthz')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('py3langid', 'numpy')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]", done.stderr
