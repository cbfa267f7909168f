"""Count how many of a dump's reviews each clue rule removes, judging every review.

The import judges reviews only until a film has its clues; this script judges all of them, with
the same rules in the same order (the usability rules, the players' language, "mostly the
title", then the leak check of `game/leaks.py`), and prints one line per rule. Usage, from the
project root, with either Kaggle schema:

    .venv/bin/python bench/clue_rules.py MOVIES.csv REVIEWS.csv [--language en]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from guessthatmovie.game import clues, leaks, redact
from guessthatmovie.game.records import MovieRecord
from guessthatmovie.importers import rt
from guessthatmovie.importers.csvfile import BadRow
from guessthatmovie.importers.dump import open_dump
from guessthatmovie.importers.language import judge_for

_NOTE = re.compile(r"\[[^\[\]]{0,100}\]")


def main() -> None:
    """Print the reviews each rule removed and the films left with enough clean reviews."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("movies", type=Path)
    parser.add_argument("reviews", type=Path)
    parser.add_argument("--language", default="en")
    args = parser.parse_args()
    fmt, movie_stream, review_stream = open_dump(args.movies, args.reviews)
    assert review_stream is not None
    films: dict[str, MovieRecord] = {}
    with movie_stream:
        columns = movie_stream.columns(fmt.movie_columns)
        for item in movie_stream.rows():
            if isinstance(item, BadRow):
                continue
            parsed = rt.parse_movie(fmt, [item[1][i] for i in columns])
            if isinstance(parsed, MovieRecord):
                films.setdefault(parsed.external_id, parsed)
    franchise = leaks.FranchiseIndex((film.title, ()) for film in films.values())
    names = {
        key: leaks.film_names(film.title, (), film.synopsis, franchise)
        for key, film in films.items()
    }
    judge = judge_for(args.language)
    removed: Counter[str] = Counter()
    clean: Counter[str] = Counter()
    notes = 0
    seen: set[tuple[str, str]] = set()
    with review_stream:
        columns = review_stream.columns(fmt.review_columns)
        raw_text = fmt.review_columns.index("review_content" if fmt is rt.RT2020 else "reviewText")
        for item in review_stream.rows():
            if isinstance(item, BadRow):
                removed["bad row"] += 1
                continue
            fields = [item[1][i] for i in columns]
            notes += bool(_NOTE.search(fields[raw_text]))
            review = rt.parse_review(fmt, fields)
            if isinstance(review, str) or review.external_id not in names:
                removed["no such movie or verdict"] += 1
                continue
            film = names[review.external_id]
            reason = clues.unusable_reason(review.text)
            if reason is None and (review.external_id, review.text) in seen:
                reason = "duplicate"
            seen.add((review.external_id, review.text))
            reason = reason or judge(review.text)
            shown = redact.redact_title(review.text, film.title, film.alternates)
            if reason is None and not clues.says_enough(shown):
                reason = "mostly the title"
            if reason is None and (found := leaks.giveaways(shown, film)):
                reason = found[0].rule
            if reason is None:
                clean[review.external_id] += 1
            else:
                removed[reason] += 1
    print(f"Reviews with a bracketed source note (stripped before judging): {notes}")
    for reason, count in removed.most_common():
        print(f"removed {count:6d}  {reason}")
    print(f"clean   {sum(clean.values()):6d}")
    print(f"films with at least 12 clean reviews: {sum(n >= 12 for n in clean.values())}")


if __name__ == "__main__":
    main()
