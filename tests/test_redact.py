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
        # Titles made of everyday words are blanked only where written like a title.
        ("Get Out", (), "Get Out is a sharp horror.", f"{MASK} is a sharp horror."),
        ("Get Out", (), "You will want to get out early.", "You will want to get out early."),
        ("Up", (), "Things look up; Up soars.", f"Things look up; {MASK} soars."),
        ("Her", (), "Her voice carries it.", f"{MASK} voice carries it."),
        ("Her", (), "She gives her best.", "She gives her best."),
        # The main part before a colon or dash, and the title without its sequel number.
        ("Toy Story 3", (), "Toy Story 3 tops Toy Story.", f"{MASK} tops {MASK}."),
        ("Toy Story 3", (), "A toy story for all ages.", "A toy story for all ages."),
        ("Rocky II", (), "Rocky II is Rocky again.", f"{MASK} is {MASK} again."),
        (
            "Mission: Impossible - Fallout",
            (),
            "Mission: Impossible keeps topping itself; Fallout is its peak.",
            f"{MASK} keeps topping itself; {MASK} is its peak.",
        ),
        ("Alien: Covenant", (), "Less scary than Alien was.", f"Less scary than {MASK} was."),
        # Possessives and case variants.
        ("Jaws", (), "Jaws’ score is iconic.", f"{MASK}’ score is iconic."),
        ("The Quiet Harbour", (), "THE QUIET HARBOUR's ending.", f"{MASK}'s ending."),
        # Distinctive title words when capitalised, but not common words.
        ("The Quiet Harbour", (), "Harbour is slow.", f"{MASK} is slow."),
        ("The Quiet Harbour", (), "It is quiet, too quiet.", "It is quiet, too quiet."),
        (
            "Paddington 2",
            (),
            "Paddington returns; Paddington 2 is a joy.",
            f"{MASK} returns; {MASK} is a joy.",
        ),
        ("Amélie", (), "Amélie's Paris.", f"{MASK}'s Paris."),
        ("The Quiet Harbour", (), "", ""),
    ],
)
def test_redact_title(title: str, alternates: tuple[str, ...], text: str, expected: str) -> None:
    assert redact_title(text, title, alternates) == expected


def test_mask_does_not_depend_on_title_length() -> None:
    short = redact_title("Up is lovely.", "Up")
    long = redact_title("The Lord of the Rings is lovely.", "The Lord of the Rings")
    assert short == long == f"{MASK} is lovely."
