"""Blanking the title out of review snippets."""

from __future__ import annotations

import pytest

from guessthatmovie.game.redact import MASK, redact_title


@pytest.mark.parametrize(
    ("title", "alternates", "text", "expected"),
    [
        ("Jaws", (), "Jaws is a thriller.", f"{MASK} is a thriller."),
        ("Jaws", (), "JAWS, jaws and Jaws's shark.", f"{MASK}, {MASK} and {MASK}'s shark."),
        ("Jaws", (), "Jawsome is not a word.", "Jawsome is not a word."),
        ("The Godfather", (), "The Godfather is long.", f"{MASK} is long."),
        ("The Godfather", (), "Watching Godfather again.", f"Watching {MASK} again."),
        ("Godfather, The", (), "the godfather endures", f"{MASK} endures"),
        ("Amélie", (), "Amelie charms; so does AMÉLIE.", f"{MASK} charms; so does {MASK}."),
        ("Mr. & Mrs. Smith", (), "Mr and Mrs Smith is fun.", f"{MASK} is fun."),
        (
            "12 Angry Men (Twelve Angry Men)",
            (),
            "12 Angry Men, or Twelve Angry Men if you like.",
            f"{MASK}, or {MASK} if you like.",
        ),
        (
            "Star Wars: Episode IV - A New Hope",
            ("Star Wars",),
            "Star Wars changed everything.",
            f"{MASK} changed everything.",
        ),
        (
            "Crouching Tiger, Hidden Dragon",
            (),
            "Crouching Tiger Hidden Dragon soars.",
            f"{MASK} soars.",
        ),
        ("Se7en", (), "No title here at all.", "No title here at all."),
    ],
)
def test_redact_title(title: str, alternates: tuple[str, ...], text: str, expected: str) -> None:
    assert redact_title(text, title, alternates) == expected


def test_mask_does_not_depend_on_title_length() -> None:
    short = redact_title("Up is lovely.", "Up")
    long = redact_title("The Lord of the Rings is lovely.", "The Lord of the Rings")
    assert short == long == f"{MASK} is lovely."
