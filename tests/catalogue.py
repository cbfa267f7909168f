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
