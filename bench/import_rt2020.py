"""Benchmark `flask catalog import` on a synthetic dump the size of the 2020 Rotten Tomatoes one.

Generates rotten_tomatoes_movies.csv (17,712 movies) and rotten_tomatoes_critic_reviews.csv
(1,130,017 reviews) with the real columns and made-up words, creates a fresh PostgreSQL database,
migrates it and runs the import as a child process. Prints wall time, the child's peak RSS and
rows per second. Usage (from the project root, with PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/import_rt2020.py [--dir /tmp/rt-bench] [--database gtm_bench]
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import time
from pathlib import Path

import sqlalchemy as sa

MOVIES = 17_712
REVIEWS = 1_130_017
PROJECT = Path(__file__).resolve().parent.parent
BIN = PROJECT / ".venv" / "bin"

MOVIE_COLUMNS = [
    "rotten_tomatoes_link",
    "movie_title",
    "movie_info",
    "critics_consensus",
    "content_rating",
    "genres",
    "directors",
    "authors",
    "actors",
    "original_release_date",
    "streaming_release_date",
    "runtime",
    "production_company",
    "tomatometer_status",
    "tomatometer_rating",
    "tomatometer_count",
    "audience_status",
    "audience_rating",
    "audience_count",
    "tomatometer_top_critics_count",
    "tomatometer_fresh_critics_count",
    "tomatometer_rotten_critics_count",
]
REVIEW_COLUMNS = [
    "rotten_tomatoes_link",
    "critic_name",
    "top_critic",
    "publisher_name",
    "review_type",
    "review_score",
    "review_date",
    "review_content",
]
WORDS = [
    "quiet",
    "bold",
    "handsome",
    "tender",
    "uneven",
    "clever",
    "patient",
    "restless",
    "gentle",
    "sharp",
    "loud",
    "slow",
    "brisk",
    "film",
    "story",
    "picture",
    "drama",
    "score",
    "cast",
    "script",
    "ending",
    "opening",
    "middle",
    "scene",
    "camera",
    "sound",
    "keeps",
    "trusts",
    "loses",
    "finds",
    "builds",
    "earns",
    "wastes",
    "carries",
    "lifts",
    "drags",
    "holds",
    "turns",
    "feels",
    "never",
    "always",
    "rarely",
    "often",
    "almost",
    "barely",
    "nearly",
    "simply",
    "quite",
    "really",
    "fairly",
    "mostly",
    "audience",
    "director",
    "actor",
    "writer",
    "editor",
    "composer",
    "performance",
    "rhythm",
    "tone",
    "mood",
    "pace",
]
NAMES = [
    "Marta",
    "Rui",
    "Ines",
    "Tomas",
    "Lena",
    "Omar",
    "Hana",
    "Piotr",
    "Ada",
    "Kofi",
    "Sven",
    "Yara",
]
GENRES = [
    "Drama",
    "Comedy",
    "Horror",
    "Romance",
    "Documentary",
    "Action & Adventure",
    "Mystery & Suspense",
]


def sentence(rng: random.Random, length: int) -> str:
    """Return made-up review text of about `length` characters."""
    words: list[str] = []
    size = 0
    while size < length:
        word = rng.choice(NAMES) if rng.random() < 0.05 else rng.choice(WORDS)
        words.append(word)
        size += len(word) + 1
    text = " ".join(words).capitalize()
    # Real dumps hold entities and quotes with commas: keep the reader honest.
    if rng.random() < 0.1:
        text = text.replace(" ", "&#44; ", 1)
    return text + "."


def release_date(rng: random.Random) -> str:
    """Return a release date, or nothing for one movie in twenty (as in the real dump)."""
    if rng.random() < 0.05:
        return ""
    return f"{rng.randint(1930, 2020)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}"


def generate(folder: Path, seed: int = 2020) -> tuple[Path, Path]:
    """Write the synthetic dump unless it is already there."""
    folder.mkdir(parents=True, exist_ok=True)
    movies_path = folder / "rotten_tomatoes_movies.csv"
    reviews_path = folder / "rotten_tomatoes_critic_reviews.csv"
    if movies_path.exists() and reviews_path.exists():
        return movies_path, reviews_path
    rng = random.Random(seed)
    # Known-ness (issue 24) from a stream of its own: the rest of the dump stays as it was.
    known = random.Random(seed + 1)
    per_movie = [1] * MOVIES
    for _ in range(REVIEWS - MOVIES):
        # Skewed like the real dump: a few movies have a thousand reviews, most a few dozen.
        per_movie[int(MOVIES * rng.random() ** 1.5)] += 1
    with movies_path.open("w", newline="", encoding="utf-8") as movies_file:
        writer = csv.writer(movies_file)
        writer.writerow(MOVIE_COLUMNS)
        for index in range(MOVIES):
            title = f"{rng.choice(NAMES)} {rng.choice(WORDS).title()} {index}"
            row = dict.fromkeys(MOVIE_COLUMNS, "")
            row.update(
                rotten_tomatoes_link=f"m/bench_{index}",
                movie_title=title,
                movie_info=sentence(rng, 300),
                genres=", ".join(rng.sample(GENRES, 2)),
                original_release_date=release_date(rng),
                tomatometer_rating=str(rng.randint(0, 100)) if rng.random() > 0.03 else "",
                tomatometer_count=str(per_movie[index]),
                audience_rating=str(rng.randint(0, 100)) if rng.random() > 0.03 else "",
                audience_count=str(int(known.paretovariate(0.8) * 200))
                if known.random() > 0.05
                else "",
                directors=f"{known.choice(NAMES)} {known.choice(NAMES)}",
            )
            writer.writerow([row[c] for c in MOVIE_COLUMNS])
    with reviews_path.open("w", newline="", encoding="utf-8") as reviews_file:
        writer = csv.writer(reviews_file)
        writer.writerow(REVIEW_COLUMNS)
        for index, count in enumerate(per_movie):
            for _ in range(count):
                roll = rng.random()
                text = "" if roll < 0.06 else sentence(rng, rng.randint(20, 360))
                writer.writerow(
                    [
                        f"m/bench_{index}",
                        f"{rng.choice(NAMES)} {rng.choice(NAMES)}",
                        "True" if rng.random() < 0.25 else "False",
                        f"{rng.choice(WORDS).title()} Times",
                        "Fresh" if rng.random() < 0.6 else "Rotten",
                        f"{rng.randint(1, 5)}/5" if rng.random() < 0.5 else "",
                        "2019-01-01",
                        text,
                    ]
                )
    return movies_path, reviews_path


def fresh_database(name: str) -> str:
    """Drop and create a PostgreSQL database for the run; return its URL."""
    admin = sa.create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def main() -> None:
    """Generate, migrate, import, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/rt-bench"))
    parser.add_argument("--database", default="gtm_bench_import")
    parser.add_argument("--again", action="store_true", help="import a second time too")
    args = parser.parse_args()
    started = time.monotonic()
    movies, reviews = generate(args.dir)
    print(f"dump: {movies.stat().st_size + reviews.stat().st_size:,} bytes "
          f"(generated or reused in {time.monotonic() - started:.0f}s)")  # fmt: skip
    env = dict(os.environ, DATABASE_URL=fresh_database(args.database), SECRET_KEY="bench")
    subprocess.run([BIN / "alembic", "upgrade", "head"], cwd=PROJECT, env=env, check=True)
    command: list[str | Path] = [BIN / "flask", "--app", "guessthatmovie", "catalog", "import",
               "--movies", movies, "--reviews", reviews, "--show-errors", "3"]  # fmt: skip
    rows = MOVIES + REVIEWS
    for run in ("first import", "second import (nothing to change)")[: 2 if args.again else 1]:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        subprocess.run(command, cwd=PROJECT, env=env, check=True)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kib = after.ru_maxrss  # the largest child
        # CPU time does not grow with other work on the machine, as wall time does.
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        print(f"{run}: wall time {wall:.1f}s, {rows / wall:,.0f} rows/s ({rows:,} rows), "
              f"CPU time of the import process {cpu:.1f}s")  # fmt: skip
    print(f"peak RSS of the import process: {peak_kib / 1024:.0f} MiB")
    # Other work on the machine slows the run: say how busy it was.
    print(f"CPUs: {os.cpu_count()}, load average at the end: {os.getloadavg()}")


if __name__ == "__main__":
    main()
