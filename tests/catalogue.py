"""A small test catalogue; every sentence here is written for these tests."""

from __future__ import annotations

from guessthatmovie.game.records import MovieRecord, ReviewRecord


def _snippets(title: str) -> tuple[ReviewRecord, ...]:
    lines = [
        "A patient, handsome piece of work that trusts its audience.",
        f"{title} builds its world with a confident, unhurried hand.",
        "The score does half the storytelling and never oversells it.",
        f"Few films of its year look as good as {title} does in its quiet moments.",
        "The final act earns every one of its big swings.",
        f"By the end, {title.upper()} feels less like a story than a place you visited.",
        "Not every subplot lands, but the centre holds firm.",
    ]
    return tuple(
        ReviewRecord(text=line, critic=f"Critic {i}", publication=f"Gazette {i}", fresh=i != 6)
        for i, line in enumerate(lines)
    )


def movie(
    title: str,
    year: int,
    genres: tuple[str, ...] = ("Drama",),
    critic: int | None = 80,
    audience: int | None = 70,
    alt: tuple[str, ...] = (),
    snippets: bool = True,
    critic_count: int | None = None,
) -> MovieRecord:
    """Build a test movie record with seven snippets that mention its title."""
    main = title.split(" (")[0]
    return MovieRecord(
        title=title,
        year=year,
        genres=genres,
        critic_score=critic,
        audience_score=audience,
        synopsis=f"A synopsis of {main} written for the tests.",
        alt_titles=alt,
        snippets=_snippets(main) if snippets else (),
        critic_count=critic_count,
    )


MOVIES = [
    movie("The Quiet Harbour", 1998, ("Drama", "Mystery"), 91, 85),
    movie("Lanterns Over Kyoto", 2004, ("Romance",), 45, 62),
    movie("Café Lumière Nights", 2011, ("Comedy", "Romance"), 77, 58),
    movie("12 Angry Jurors (Twelve Angry Jurors)", 1957, ("Classics", "Drama"), 100, 97),
    movie("12 Angry Jurors", 1997, ("Drama", "Television"), 92, 87, snippets=False),
    movie("Salt & Pepper Road", 1983, ("Action & Adventure",), 66, 71),
    movie("Iron Orchard, The", 1975, ("Western",), 88, 90),
    movie("Glass Meridian", 2016, ("Science Fiction & Fantasy",), 83, 76),
    movie("Glass Meridian", 1961, ("Science Fiction & Fantasy",), 70, 40, snippets=False),
    movie("An Ordinary Miracle", 2001, ("Drama",), 58, 59),
    movie("Spider-Moth", 2019, ("Action & Adventure",), 90, 93),
    movie("No Facts At All", 2020, (), None, None),
]

# Films that share a name, as "which one did you mean?" meets them: how many critics reviewed
# each (as an imported dump knows) orders them, the better-known first; a film without a count
# comes after those with one, newest first. None of them has clues, so none is ever a puzzle.
NAMESAKES = [
    movie("Titanic", 1953, critic=89, audience=69, snippets=False, critic_count=19),
    movie("Titanic", 1997, critic=88, audience=69, snippets=False, critic_count=190),
    movie("Titanic", 1943, critic=None, audience=40, snippets=False),
    movie("Little Women", 1933, critic=92, audience=75, snippets=False, critic_count=13),
    movie("Little Women", 1949, critic=77, audience=64, snippets=False, critic_count=13),
    movie("Little Women", 1994, critic=93, audience=80, snippets=False, critic_count=60),
    movie("Little Women", 2019, critic=95, audience=92, snippets=False, critic_count=433),
    movie(
        "The Terminator", 1984, ("Action & Adventure",), 100, 89, snippets=False, critic_count=70
    ),
    movie(
        "Terminator 2: Judgment Day",
        1991,
        ("Action & Adventure",),
        93,
        95,
        snippets=False,
        critic_count=75,
    ),
    movie(
        "Terminator 3: Rise of the Machines",
        2003,
        ("Action & Adventure",),
        70,
        46,
        snippets=False,
        critic_count=205,
    ),
    movie(
        "Terminator Salvation",
        2009,
        ("Action & Adventure",),
        33,
        53,
        snippets=False,
        critic_count=288,
    ),
    movie(
        "Terminator Genisys",
        2015,
        ("Action & Adventure",),
        26,
        52,
        snippets=False,
        critic_count=248,
    ),
]
# In the order a player is offered them.
TITANICS = ["Titanic (1997)", "Titanic (1953)", "Titanic (1943)"]
LITTLE_WOMEN = [
    "Little Women (2019)",
    "Little Women (1994)",
    "Little Women (1949)",
    "Little Women (1933)",
]
