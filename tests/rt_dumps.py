"""Small dumps in the shapes of the public Rotten Tomatoes files; every sentence is our own.

They carry the awkward cases real dumps have: quoted fields with commas and newlines, HTML
entities, empty scores, missing dates, one title in two years, a BOM, CRLF line ends, rows with
the wrong number of fields, reviews of unknown movies and a movie whose reviews come in two runs.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

RT2020_MOVIE_COLUMNS = [
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
RT2020_REVIEW_COLUMNS = [
    "rotten_tomatoes_link",
    "critic_name",
    "top_critic",
    "publisher_name",
    "review_type",
    "review_score",
    "review_date",
    "review_content",
]
RT2023_MOVIE_COLUMNS = [
    "id",
    "title",
    "audienceScore",
    "tomatoMeter",
    "rating",
    "ratingContents",
    "releaseDateTheaters",
    "releaseDateStreaming",
    "runtimeMinutes",
    "genre",
    "originalLanguage",
    "director",
    "writer",
    "boxOffice",
    "distributor",
    "soundMix",
]
RT2023_REVIEW_COLUMNS = [
    "id",
    "reviewId",
    "creationDate",
    "criticName",
    "isTopCritic",
    "originalScore",
    "reviewState",
    "publicatioName",
    "reviewText",
    "scoreSentiment",
    "reviewUrl",
]

# Reviews that make fine clues: (text, fresh, top critic). "{t}" is the movie's title.
GOOD = [
    ("A patient, handsome piece of work that trusts its audience to keep up.", True, True),
    ("The score does half the storytelling&#44; and it never oversells a moment.", True, False),
    ("It drifts in the middle hour, though the last scenes pull it back together.", False, True),
    (
        "Marta Velasco gives the performance of her career as a lighthouse keeper in Oslo.",
        True,
        False,
    ),
    (
        "Few films of its year look this good; {t} is a pleasure to watch in quiet moments.",
        True,
        True,
    ),
    ("I admired it more than I enjoyed it, and I doubt I\u2019ll return to it soon.", False, False),
    ("By the end, {t} feels less like a story\nthan a place you once visited.", True, False),
    ("Too polite by half: the drama keeps its voice down when it ought to shout.", False, False),
]
BAD = [
    ("", True, False),  # empty
    ("3/5", True, False),  # a bare score
    ("Lovely.", True, False),  # too short
    ("Long-winded. " * 30, False, False),  # too long
]


def _csv(rows: list[list[str]], crlf: bool = False) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if crlf else "\n").writerows(rows)
    return buffer.getvalue()


def _movie_2020(link: str, title: str, date: str, genres: str, critic: str, count: str,
                audience: str, info: str = "", consensus: str = "") -> list[str]:  # fmt: skip
    row = dict.fromkeys(RT2020_MOVIE_COLUMNS, "")
    row.update(
        rotten_tomatoes_link=link,
        movie_title=title,
        movie_info=info,
        critics_consensus=consensus,
        genres=genres,
        original_release_date=date,
        tomatometer_rating=critic,
        tomatometer_count=count,
        audience_rating=audience,
    )
    return [row[c] for c in RT2020_MOVIE_COLUMNS]


def _review_2020(link: str, index: int, review: tuple[str, bool, bool], title: str) -> list[str]:
    text, fresh, top = review
    return [
        link,
        f"Critic {index}",
        "True" if top else "False",
        f"The Weekly {index}",
        "Fresh" if fresh else "Rotten",
        "",
        "2019-01-01",
        text.replace("{t}", title),
    ]


def write_2020(folder: Path, quiet_score: str = "91", newer: bool = False) -> tuple[Path, Path]:
    """Write a 2020-shaped dump (movies with a BOM); `newer` adds a movie and changes scores."""
    movies = [
        RT2020_MOVIE_COLUMNS,
        _movie_2020(
            "m/the_quiet_harbour", "The Quiet Harbour", "1998-05-01", "Drama, Mystery",
            quiet_score, "120", "85", "A keeper, a storm, and a letter\nthat arrives too late.",
            "The Quiet Harbour waits out its storm with a patience that pays off.",
        ),
        _movie_2020("m/lanterns", "Lanterns Over Kyoto", "2004-03-02", "Romance",
                    "47" if newer else "45", "80", "62"),
        _movie_2020("m/glass_meridian", "Glass Meridian", "2016-09-09",
                    "Science Fiction &amp; Fantasy", "83", "150", "76"),
        _movie_2020("m/glass_meridian_1961", "Glass Meridian", "1961-01-01",
                    "Science Fiction &amp; Fantasy", "70", "12", "40"),
        _movie_2020("m/paper_moons", "Paper Moons", "", "Comedy", "", "", ""),
        _movie_2020("m/cafe", "Caf&#233; Lumi&#232;re Nights", "2011-06-01", "Comedy, Romance",
                    "77.0", "95", "58"),
        _movie_2020("m/get_out", "Get Out", "2017-02-24", "Horror, Mystery", "98", "390", "86"),
        _movie_2020("m/untitled", "", "2001-01-01", "Drama", "50", "10", "50"),
    ]  # fmt: skip
    if newer:
        movies.append(
            _movie_2020("m/salt_road", "Salt & Pepper Road", "1983-07-01",
                        "Action &amp; Adventure", "66", "60", "71")
        )  # fmt: skip
    movie_text = _csv(movies)
    # A row with too few fields, as a truncated line in a real dump looks.
    movie_text += "m/broken,Broken Row,only three fields\n"
    movies_path = folder / "rotten_tomatoes_movies.csv"
    movies_path.write_bytes(b"\xef\xbb\xbf" + movie_text.encode())

    reviews: list[list[str]] = [RT2020_REVIEW_COLUMNS]
    harbour = GOOD[:6] + BAD + [GOOD[0]]  # the last repeats the first: a duplicate
    reviews += [_review_2020("m/the_quiet_harbour", i, r, "The Quiet Harbour")
                for i, r in enumerate(harbour)]  # fmt: skip
    reviews += [_review_2020("m/lanterns", i, r, "Lanterns Over Kyoto")
                for i, r in enumerate(GOOD)]  # fmt: skip
    reviews += [_review_2020("m/get_out", i, r, "Get Out") for i, r in enumerate(GOOD)]
    reviews += [_review_2020("m/unknown", 1, GOOD[0], "Unknown")]
    reviews.append(["m/lanterns", "Critic 9", "False", "Paper", "Meh", "", "", GOOD[1][0]])
    # The Quiet Harbour's reviews continue after other movies': the file is not grouped.
    reviews += [_review_2020("m/the_quiet_harbour", 10 + i, r, "The Quiet Harbour")
                for i, r in enumerate(GOOD[6:])]  # fmt: skip
    if newer:
        reviews.append(
            _review_2020("m/lanterns", 20, ("A brand-new take on the film, written for the "
                                            "newer dump, long enough to count.", True, True), "")
        )  # fmt: skip
        reviews += [_review_2020("m/salt_road", i, r, "Salt & Pepper Road")
                    for i, r in enumerate(GOOD)]  # fmt: skip
    review_text = _csv(reviews) + "m/lanterns,too,few\n"
    reviews_path = folder / "rotten_tomatoes_critic_reviews.csv"
    reviews_path.write_text(review_text, encoding="utf-8")
    return movies_path, reviews_path


def write_2023(folder: Path) -> tuple[Path, Path]:
    """Write a 2023-shaped dump with CRLF line ends and a BOM on both files."""

    def movie(
        ident: str, title: str, audience: str, critic: str, date: str, genre: str, **more: str
    ) -> list[str]:
        row = dict.fromkeys(RT2023_MOVIE_COLUMNS, "")
        row.update(id=ident, title=title, audienceScore=audience, tomatoMeter=critic,
                   releaseDateTheaters=date, genre=genre, **more)  # fmt: skip
        return [row[c] for c in RT2023_MOVIE_COLUMNS]

    movies = [
        RT2023_MOVIE_COLUMNS,
        movie(
            "the_quiet_harbour",
            "The Quiet Harbour",
            "85",
            "91",
            "1998-05-01",
            "Drama, Mystery",
            director="Ines Marlow",
            boxOffice="$2.4K",
        ),
        movie(
            "spider_moth",
            "Spider-Moth",
            "93",
            "90",
            "2019-05-03",
            "Action, Adventure",
            director="Ana Lindqvist,Tom Reyes",
            boxOffice="$312.5M",
        ),
        movie("lost_reel", "The Lost Reel", "", "", "", "Documentary"),
    ]
    reviews: list[list[str]] = [RT2023_REVIEW_COLUMNS]
    for ident, title in (
        ("the_quiet_harbour", "The Quiet Harbour"),
        ("spider_moth", "Spider-Moth"),
    ):
        for i, (text, fresh, top) in enumerate(GOOD):
            reviews.append([
                ident, f"{ident}-{i}", "2020-01-01", f"Writer {i}", str(top), "",
                "fresh" if fresh else "rotten", f"Daily {i}", text.replace("{t}", title),
                "POSITIVE" if fresh else "NEGATIVE", "",
            ])  # fmt: skip
    reviews.append(["spider_moth", "x", "2020-01-01", "Writer", "False"])  # too few fields
    movies_path = folder / "rotten_tomatoes_movies.csv"
    movies_path.write_bytes(b"\xef\xbb\xbf" + _csv(movies, crlf=True).encode())
    reviews_path = folder / "rotten_tomatoes_movie_reviews.csv"
    reviews_path.write_bytes(b"\xef\xbb\xbf" + _csv(reviews, crlf=True).encode())
    return movies_path, reviews_path


def write_compact(folder: Path) -> Path:
    """Write a compact movie list: facts only, no reviews."""
    path = folder / "rt_movies_compact.csv"
    path.write_text(
        "movie_title,year_released,critic_rating,audience_rating,genres\n"
        '"Percy & the Lantern, Part One",2010,49,53,"Action & Adventure, Comedy"\n'
        "The Quiet Harbour,1998,91,85,Drama\n"
        "Noise,2007,58,60,Comedy\n"
        "Noise,2007,83,71,Documentary\n"
        "No Year,,40,50,Drama\n"
        "Too,Many,Fields,In,This,Row\n",
        encoding="utf-8",
    )
    return path
