"""`flask catalog import`: both dump formats, the compact list, awkward rows, re-runs, resumes."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from flask import Flask

from guessthatmovie import catalogue_import
from guessthatmovie.extensions import db
from guessthatmovie.game import known, titles
from guessthatmovie.importers.dump import open_dump
from guessthatmovie.models import Movie, MovieSource, ReviewSnippet, TitleKey
from guessthatmovie.store import catalogue, films, puzzles, snippets
from guessthatmovie.store.search import search_titles
from tests.conftest import LAUNCH, Clock, Player
from tests.rt_dumps import write_2020, write_2023, write_compact


def run_import(app: Flask, movies: Path, reviews: Path | None = None, *extra: str) -> Result:
    args = ["catalog", "import", "--movies", str(movies)]
    if reviews is not None:
        args += ["--reviews", str(reviews)]
    return app.test_cli_runner().invoke(args=[*args, *extra])


def snapshot() -> dict[str, Any]:
    """Return the whole catalogue as plain values, without database ids."""
    movies = db.session.scalars(db.select(Movie).order_by(Movie.title, Movie.year)).all()
    label = {m.id: (m.title, m.year) for m in movies}
    return {
        "movies": [
            (
                m.title,
                m.year,
                m.genres,
                m.critic_score,
                m.audience_score,
                m.critic_count,
                m.synopsis,
            )
            for m in movies
        ],
        "snippets": sorted(
            (label[s.movie_id], s.position, s.text, s.critic, s.fresh, s.top_critic, s.source_key)
            for s in db.session.scalars(db.select(ReviewSnippet))
        ),
        "sources": sorted(
            (s.source, s.external_id, label[s.movie_id])
            for s in db.session.scalars(db.select(MovieSource))
        ),
        "keys": sorted((k.key, label[k.movie_id]) for k in db.session.scalars(db.select(TitleKey))),
    }


def movie(title: str, year: int | None = None) -> Movie:
    query = db.select(Movie).where(Movie.title == title)
    if year is not None:
        query = query.where(Movie.year == year)
    found: Movie = db.session.scalars(query).one()
    return found


def snippet_texts(title: str) -> list[str]:
    return [s.text for s in movie(title).snippets]


def test_2020_dump_imports_movies_facts_and_clues(app: Flask, tmp_path: Path) -> None:
    movies_csv, reviews_csv = write_2020(tmp_path)
    result = run_import(app, movies_csv, reviews_csv)
    assert result.exit_code == 0, result.output
    assert "Movies: 7 added, 0 updated, 0 unchanged" in result.output
    # Bad rows are reported with file, line and reason, and counted.
    assert f"{movies_csv}:10: no title" in result.output
    assert f"{movies_csv}:11: 3 fields where the header has 22" in result.output
    assert f"{reviews_csv}:32: no fresh/rotten verdict" in result.output
    assert f"{reviews_csv}:36: 3 fields where the header has 8" in result.output
    assert "Snippets: 24 kept; 6 dropped" in result.output
    for reason in ("bare score", "duplicate", "empty", "too long", "too short"):
        assert f"1 {reason}" in result.output
    assert "1 movie not in the catalogue" in result.output
    assert "Eligible puzzle movies: 3" in result.output
    with app.app_context():
        harbour = movie("The Quiet Harbour")
        assert (harbour.year, harbour.genres) == (1998, ["Drama", "Mystery"])
        assert (harbour.critic_score, harbour.audience_score, harbour.critic_count) == (91, 85, 120)
        # A quoted field with a newline is one field; white space is collapsed.
        assert harbour.synopsis == "A keeper, a storm, and a letter that arrives too late."
        # Reviews from both runs of the unsorted file, decoded, none of the unusable ones.
        texts = snippet_texts("The Quiet Harbour")
        assert len(texts) == 8
        assert "The score does half the storytelling, and it never oversells a moment." in texts
        assert any("\u2019" in text for text in texts)
        assert all(40 <= len(text) <= 300 and "&#" not in text for text in texts)
        assert any("place you once visited" in text for text in texts)
        assert {s.top_critic for s in harbour.snippets} == {True, False}
        assert {s.fresh for s in harbour.snippets} == {True, False}
        # Entities in titles and genres are decoded; one title in two years is two movies.
        assert movie("Café Lumière Nights").critic_score == 77
        assert {
            m.year for m in db.session.scalars(db.select(Movie).filter_by(title="Glass Meridian"))
        } == {2016, 1961}
        assert movie("Glass Meridian", 2016).genres == ["Science Fiction & Fantasy"]
        # Empty scores and a missing date are stored as unknown: the movie is not eligible.
        paper = movie("Paper Moons")
        assert (paper.year, paper.critic_score, paper.audience_score) == (None, None, None)
        eligible = puzzles.eligible_movie_ids(5)
        assert paper.id not in eligible and movie("Get Out").id in eligible
        # Imported movies can be guessed by name.
        assert catalogue.movies_matching(titles.parse_guess("quiet harbour"))[0].id == harbour.id


def test_clues_are_ordered_vaguest_first(app: Flask, tmp_path: Path) -> None:
    assert run_import(app, *write_2020(tmp_path)).exit_code == 0
    with app.app_context():
        texts = snippet_texts("The Quiet Harbour")
    # Names of people and places, and the (blanked) title, come last.
    assert "Marta Velasco" in texts[-1]
    assert not any("Quiet Harbour" in text for text in texts[:4])


def test_running_twice_changes_nothing(app: Flask, tmp_path: Path) -> None:
    dump = write_2020(tmp_path)
    assert run_import(app, *dump).exit_code == 0
    with app.app_context():
        before = snapshot()
    again = run_import(app, *dump)
    assert again.exit_code == 0, again.output
    assert "Movies: 0 added, 0 updated, 7 unchanged" in again.output
    assert "Clues changed for 0 movies" in again.output
    with app.app_context():
        assert snapshot() == before


def test_newer_dump_updates_without_touching_played_puzzles(
    app: Flask, tmp_path: Path, clock: Clock
) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    assert run_import(app, *write_2020(old)).exit_code == 0
    today = clock.now.date()
    with app.app_context():
        puzzles.set_puzzle(today, movie("The Quiet Harbour"), LAUNCH, clock.now)
        puzzles.set_puzzle(
            today + timedelta(days=1), movie("Lanterns Over Kyoto"), LAUNCH, clock.now
        )
        played_before = [(s.position, s.text) for s in movie("The Quiet Harbour").snippets]
    result = run_import(app, *write_2020(new, quiet_score="95", newer=True))
    assert result.exit_code == 0, result.output
    assert "Movies: 1 added, 1 updated, 5 unchanged, 1 kept as played" in result.output
    with app.app_context():
        harbour = movie("The Quiet Harbour")
        # Players saw today's facts and clues: they stay as they were.
        assert harbour.critic_score == 91
        assert [(s.position, s.text) for s in harbour.snippets] == played_before
        # Tomorrow's puzzle has not been played: it takes the new score and review.
        lanterns = movie("Lanterns Over Kyoto")
        assert lanterns.critic_score == 47
        assert any(
            text.startswith("A brand-new take") for text in snippet_texts("Lanterns Over Kyoto")
        )
        assert movie("Salt & Pepper Road").year == 1983
        assert db.session.scalar(db.select(db.func.count()).select_from(Movie)) == 8
        texts = [
            s.text
            for s in db.session.scalars(db.select(ReviewSnippet).filter_by(movie_id=lanterns.id))
        ]
        assert len(texts) == len(set(texts))


def test_2023_dump_with_bom_and_crlf(app: Flask, tmp_path: Path) -> None:
    result = run_import(app, *write_2023(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Massive Rotten Tomatoes" in result.output
    assert "Movies: 3 added" in result.output
    assert "3 fields where the header has 11" not in result.output
    assert "5 fields where the header has 11" in result.output
    with app.app_context():
        moth = movie("Spider-Moth")
        assert (moth.year, moth.critic_score, moth.audience_score) == (2019, 90, 93)
        assert moth.genres == ["Action", "Adventure"]
        # The 2023 movies file has no review count: the reviews file supplies it.
        assert moth.critic_count == 8
        assert len(moth.snippets) == 8
        assert all("\r" not in s.text for s in moth.snippets)
        lost = movie("The Lost Reel")
        assert (lost.year, lost.critic_score) == (None, None)
        # Known-ness: the box office and the directors; no audience count in this dump, so the
        # larger of its stand-ins (critics, box office) is the film's ratings.
        assert (moth.box_office, moth.directors) == (312_500_000, "Ana Lindqvist,Tom Reyes")
        assert moth.known_ratings == 312_500_000 // known.DOLLARS_PER_RATING
        harbour = movie("The Quiet Harbour")
        assert harbour.known_ratings == harbour.critic_count * known.RATINGS_PER_CRITIC
        assert lost.known_ratings is None and lost.known_score is None
        assert harbour.known_score is not None and moth.known_score == 100
        assert harbour.known_score < moth.known_score
    again = run_import(app, *write_2023(tmp_path))
    assert "Movies: 0 added, 0 updated, 3 unchanged" in again.output


def test_compact_list_is_movies_only(app: Flask, tmp_path: Path) -> None:
    result = run_import(app, write_compact(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Movies: 4 added" in result.output
    assert "repeats movie id 'Noise (2007)'" in result.output
    assert "6 fields where the header has 5" in result.output
    assert "Eligible puzzle movies: 0" in result.output
    with app.app_context():
        percy = movie("Percy & the Lantern, Part One")
        assert (percy.year, percy.genres) == (2010, ["Action & Adventure", "Comedy"])
        assert movie("Noise").critic_score == 58  # the first of the two rows, not the second
        assert movie("No Year").year is None


def test_compact_list_then_dump_fills_in_the_same_movie(app: Flask, tmp_path: Path) -> None:
    assert run_import(app, write_compact(tmp_path)).exit_code == 0
    result = run_import(app, *write_2020(tmp_path))
    assert result.exit_code == 0, result.output
    with app.app_context():
        harbour = movie("The Quiet Harbour")  # one movie, known under both sources
        assert {
            s.source
            for s in db.session.scalars(db.select(MovieSource).filter_by(movie_id=harbour.id))
        } == {"rt-compact", "rt2020"}
        assert harbour.critic_count == 120 and len(harbour.snippets) == 8


def test_sample_catalogue_still_loads_next_to_an_import(app: Flask, tmp_path: Path) -> None:
    assert run_import(app, *write_2020(tmp_path)).exit_code == 0
    result = app.test_cli_runner().invoke(args=["catalog", "load-sample"])
    assert result.exit_code == 0, result.output
    # Get Out (2017) is in both: the sample updates the imported movie rather than adding one.
    assert "47 added, 1 updated" in result.output
    with app.app_context():
        assert len(db.session.scalars(db.select(Movie).filter_by(title="Get Out")).all()) == 1


@pytest.mark.parametrize("which", ["movies", "reviews"])
def test_a_file_of_the_wrong_shape_is_refused_up_front(
    app: Flask, tmp_path: Path, which: str
) -> None:
    movies_csv, reviews_csv = write_2020(tmp_path)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,score\nSomething,3\n", encoding="utf-8")
    if which == "movies":
        result = run_import(app, wrong, reviews_csv)
        assert "movie_title" in result.output and "rotten_tomatoes_link" in result.output
        assert "year_released" in result.output and "tomatoMeter" in result.output
    else:
        result = run_import(app, movies_csv, wrong)
        assert "review_content" in result.output
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Movie)) == 0


def test_dry_run_writes_nothing(app: Flask, tmp_path: Path) -> None:
    result = run_import(app, *write_2020(tmp_path), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing written. Movies: 7 added" in result.output
    assert "Eligible puzzle movies: 3" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Movie)) == 0


def test_show_errors_limits_the_printed_rows_not_the_count(app: Flask, tmp_path: Path) -> None:
    result = run_import(app, *write_2020(tmp_path), "--show-errors", "1")
    assert result.output.count("skipped ") == 1
    assert "2 N fields where the header has N" in result.output


def test_interrupted_import_keeps_a_consistent_catalogue_and_resumes(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    movies_csv, reviews_csv = write_2020(tmp_path)
    real_write_clues = snippets.write_clues
    calls = 0

    def crash_on_second_batch(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            # Mid-batch: some of its work is in the session when Ctrl-C arrives.
            real_write_clues(*args, **kwargs)
            raise KeyboardInterrupt
        real_write_clues(*args, **kwargs)

    monkeypatch.setattr(snippets, "write_clues", crash_on_second_batch)
    options = catalogue_import.ImportOptions(
        keep=12, today=date(2026, 3, 10), movie_batch=3, review_batch=8
    )
    with app.app_context():
        fmt, movies, reviews = open_dump(movies_csv, reviews_csv)
        tally = catalogue_import.Tally()
        catalogue_import.import_movies(fmt, movies, options, tally, lambda row: None, _Quiet())
        assert reviews is not None
        with pytest.raises(KeyboardInterrupt):
            catalogue_import.import_reviews(
                fmt, reviews, options, tally, lambda row: None, _Quiet()
            )
        db.session.rollback()
        movies.close()
        reviews.close()
        # The first batch (The Quiet Harbour's first run of reviews) is stored; the second is not.
        with_clues = {m.title for m in db.session.scalars(db.select(Movie)) if m.snippets}
        assert with_clues == {"The Quiet Harbour"}
        for film in db.session.scalars(db.select(Movie)):
            assert [s.position for s in film.snippets] == list(range(len(film.snippets)))
    monkeypatch.setattr(snippets, "write_clues", real_write_clues)
    resumed = run_import(app, movies_csv, reviews_csv)
    assert resumed.exit_code == 0, resumed.output
    with app.app_context():
        after_resume = snapshot()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
    assert run_import(app, movies_csv, reviews_csv).exit_code == 0
    with app.app_context():
        assert snapshot() == after_resume


def test_ctrl_c_rolls_back_the_batch_and_says_how_to_resume(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> films.FilmsWritten:
        db.session.add(
            Movie(title="Half Written", year=2000, genres=[], alt_titles=[], synopsis="")
        )
        db.session.flush()
        raise KeyboardInterrupt

    monkeypatch.setattr(films, "write_films", interrupted)
    result = run_import(app, *write_2020(tmp_path))
    assert result.exit_code == 130
    assert "Interrupted" in result.output and "again" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Movie)) == 0


def test_imported_clues_are_redacted_when_played(app: Flask, tmp_path: Path, clock: Clock) -> None:
    assert run_import(app, *write_2020(tmp_path)).exit_code == 0
    with app.app_context():
        puzzles.set_puzzle(clock.now.date(), movie("Get Out"), LAUNCH, clock.now)
    player = Player(app.test_client(), htmx=False)
    for _ in range(5):
        player.skip()
    texts = [card.get_text(" ", strip=True) for card in player.page.select('[data-clue="review"]')]
    assert len(texts) == 5
    assert all("Get Out" not in text for text in texts)
    # Stored as written; blanked when shown.
    with app.app_context():
        assert any("Get Out" in text for text in snippet_texts("Get Out"))


class _Quiet:
    def tick(self, rows: int) -> None:
        pass

    def done(self, rows: int) -> None:
        pass


def test_a_database_error_stops_cleanly_and_keeps_earlier_batches(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import OperationalError

    def database_gone(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("INSERT", {}, Exception("server closed the connection"))

    monkeypatch.setattr(snippets, "write_clues", database_gone)
    result = run_import(app, *write_2020(tmp_path))
    assert result.exit_code == 1
    assert "The import stopped: OperationalError" in result.output
    assert "run the same command again" in result.output
    with app.app_context():
        # The movies file was imported before the reviews failed; its batches are kept.
        assert db.session.scalar(db.select(db.func.count()).select_from(Movie)) == 7


def test_a_puzzle_cached_during_the_import_shows_the_new_clues(
    app: Flask, tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that reads tomorrow's puzzle while the reviews load must not keep the old clues."""
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    assert run_import(app, *write_2020(old)).exit_code == 0
    tomorrow = clock.now.date() + timedelta(days=1)
    with app.app_context():
        puzzles.set_puzzle(tomorrow, movie("Lanterns Over Kyoto"), LAUNCH, clock.now)
    write_clues = snippets.write_clues

    def read_mid_import(*args: Any, **kwargs: Any) -> None:
        cached = puzzles.puzzle_on(tomorrow)  # what a web worker caches meanwhile
        assert cached is not None and cached.movie.snippets
        write_clues(*args, **kwargs)

    monkeypatch.setattr(snippets, "write_clues", read_mid_import)
    assert run_import(app, *write_2020(new, newer=True)).exit_code == 0
    with app.app_context():
        shown = [s.text for s in puzzles.puzzle_on(tomorrow).movie.snippets]
    assert any(text.startswith("A brand-new take") for text in shown)


def test_imported_movies_are_offered_by_the_typeahead(app: Flask, tmp_path: Path) -> None:
    assert run_import(app, *write_2020(tmp_path)).exit_code == 0
    with app.app_context():
        movies = db.session.scalars(db.select(Movie)).all()
        assert movies
        for found in movies:
            typed = found.title[:6]
            labels = [hit.label for hit in search_titles(typed, limit=50)]
            assert found.label in labels, (typed, labels)


def test_the_reveal_shows_the_consensus_and_the_films_page(
    app: Flask, tmp_path: Path, clock: Clock
) -> None:
    """The 2020 dump's consensus and page path: shown when the game ends, never before."""
    assert run_import(app, *write_2020(tmp_path)).exit_code == 0
    with app.app_context():
        harbour = movie("The Quiet Harbour")
        assert harbour.consensus.startswith("The Quiet Harbour waits out its storm")
        assert movie("Get Out").consensus == ""
        puzzles.set_puzzle(clock.now.date(), harbour, LAUNCH, clock.now)
    player = Player(app.test_client(), htmx=False)
    player.skip()
    assert "waits out its storm" not in player.raw and "rottentomatoes" not in player.raw
    player.guess("The Quiet Harbour")
    result = player.page.find(id="result")
    consensus = result.select_one("blockquote.consensus")
    assert consensus.p.get_text().startswith("The Quiet Harbour waits out its storm")
    link = result.select_one(".film-link a")
    assert link["href"] == "https://www.rottentomatoes.com/m/the_quiet_harbour"
