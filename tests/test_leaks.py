"""The one leak check: each shape a real dump showed, in sentences of our own, and clean ones."""

from __future__ import annotations

import pytest

from guessthatmovie.game import leaks
from guessthatmovie.game.leaks import FilmNames, FranchiseIndex, giveaways
from guessthatmovie.game.redact import MASK, redact_title

CATALOGUE = [
    ("Beetle-Man and the Hornet: Quantaclysm", ()),
    ("Beetle-Man", ()),
    ("Commander Atlas: Iron Winter", ()),
    ("Commander Atlas: The Frost Soldier", ()),
    ("Pandorum: The Way of Tides", ()),
    ("Pandorum", ()),
    ("Blackwidows", ()),
    ("Night Widows", ()),
    ("The Eternauts", ()),
    ("Sorcerer Vane in the Mirrorverse of Dread", ()),
    ("Sorcerer Vane", ()),
    ("Ivory Maiden and the Woodsman", ()),
    ("Two Lanterns Beyond Marrowfield, Ohio", ()),
    ("Moonfall Forever", ()),
    ("The Quiet Harbour", ()),
]
FRANCHISE = FranchiseIndex(CATALOGUE)


def names(title: str, synopsis: str = "") -> FilmNames:
    return leaks.film_names(title, (), synopsis, FRANCHISE)


def shown(text: str, film: FilmNames) -> str:
    """Blank the text as players are shown it, as every user of the check does."""
    return redact_title(text, film.title, film.alternates)


# (title, synopsis, review, the rule that must catch it)
LEAK_SHAPES = [
    # A distinctive title word misspelt, or glued to the next word by a lost space.
    ("Beetle-Man and the Hornet: Quantaclysm", "", "Quantaclysn is loud and busy.", leaks.GLUED),
    ("The Eternauts", "", "In the saga,Eternautsstrives to be grand and sad.", leaks.GLUED),
    ("Night Widows", "", "The new Widowsis able to tackle grief with wit.", leaks.GLUED),
    ("Blackwidows", "", "Blakwidows is a deafening roll of thunder.", leaks.GLUED),
    ("Commander Atlas: Iron Winter", "", "Fans will cheer: Atlus is back.", leaks.GLUED),
    # One side of a colon, or a title word left beside the blank.
    ("Commander Atlas: Iron Winter", "", "Iron Winter is a shiny, safe product.", leaks.TITLE),
    ("Two Lanterns Beyond Marrowfield, Ohio", "", "Two Lanterns is a tragic comedy.", leaks.TITLE),
    ("Moonfall Forever", "", "It is Forever that works best here.", leaks.TITLE),
    (
        "Sorcerer Vane in the Mirrorverse of Dread",
        "",
        'Too often, "Sorcerer Vane" is muddled and loud.',
        leaks.TITLE,
    ),
    # The title character by name, as the synopsis gives it.
    (
        "Ivory Maiden and the Woodsman",
        "Exiled queen's daughter Ivory (Jane Roe) flees into the woods, where Hollis Brand "
        "(John Doe), a hunter, is sent to find her.",
        "When Hollis rides into battle the film wakes up.",
        leaks.CHARACTER,
    ),
    (
        "The Quiet Harbour",
        "Keeper Tobias Wren (Sam Poe) waits out a storm. Then Wren finds a letter.",
        "Every scene with Wren is a small marvel of restraint.",
        leaks.CHARACTER,
    ),
    (
        "Ivory Maiden and the Woodsman",
        "Ivory Maiden (Jane Roe) flees into the woods.",
        "Ivory rides into battle in the last reel, and the film wakes up.",
        leaks.CHARACTER,
    ),
    # A hyphenated name inside the title, at the start of a sentence.
    (
        "Beetle-Man and the Hornet: Quantaclysm",
        "",
        "Beetle-Man is back, smaller and louder than ever.",
        leaks.TITLE,
    ),
    # Another film of the same franchise by name.
    (
        "Beetle-Man and the Hornet: Quantaclysm",
        "",
        "Fans of the first film will find the jokes thinner this time around.",
        None,
    ),
    (
        "Commander Atlas: Iron Winter",
        "",
        "Not as sharp as The Frost Soldier, but a solid evening out.",
        leaks.FRANCHISE,
    ),
    ("Pandorum: The Way of Tides", "", "Bigger than the first Pandorum in every way.", leaks.TITLE),
    # The whole title in any case, and its words in lower case.
    ("The Quiet Harbour", "", "the quiet harbour at dawn is worth the trip.", leaks.TITLE),
]


@pytest.mark.parametrize(("title", "synopsis", "review", "rule"), LEAK_SHAPES)
def test_leak_shapes(title: str, synopsis: str, review: str, rule: str | None) -> None:
    film = names(title, synopsis)
    found = giveaways(review, film)
    if rule is None:
        assert found == []
        return
    assert rule in {f.rule for f in found}, found
    # Blanked, the review either still fails the check or keeps no distinctive title word.
    blanked = shown(review, film)
    kept = set(leaks._folded_words(blanked)) & leaks.distinctive_words(title)
    assert giveaways(blanked, film) or not kept


def test_a_title_word_beside_the_blank_is_caught() -> None:
    film = names("Commander Atlas: Iron Winter")
    found = giveaways(f"{MASK} winter is a shiny, safe product.", film)
    assert [f.rule for f in found] == [leaks.BESIDE_BLANK]


def test_the_chooser_takes_clean_reviews_over_leaky_ones() -> None:
    from guessthatmovie.game.clues import Candidate, review_key, select_clues

    film = names(
        "Ivory Maiden and the Woodsman",
        "Exiled Ivory (Jane Roe) flees into the woods, where Hollis Brand (John Doe) finds her.",
    )
    texts = [review for title, _s, review, rule in LEAK_SHAPES if rule and title == film.title]
    texts += ["When Hollis rides into battle the film wakes up at last.", *CLEAN_TEXTS]
    pool = [Candidate(t, f"c{i}", "Paper", i % 2 == 0, False, review_key(f"c{i}", t))
            for i, t in enumerate(texts)]  # fmt: skip
    chosen = select_clues(pool, film, keep=len(CLEAN_TEXTS))
    assert sorted(c.text for c in chosen.clues) == sorted(CLEAN_TEXTS)
    assert "names a character" in chosen.dropped.values()


CLEAN_TEXTS = [
    "A patient, handsome piece of work that trusts its audience to keep up.",
    "The score does half the storytelling and never oversells a moment.",
    "It drifts in the middle hour, though the last scenes pull it together.",
]
CLEAN = [
    ("The Quiet Harbour", "A patient, handsome piece of work that trusts its audience."),
    ("The Quiet Harbour", "It is quiet, too quiet, and all the better for it."),
    ("Moonfall Forever", "I could watch these two bicker forever."),
    ("Night Widows", "The widowed heroine carries the film."),  # another word, not the title's
    ("The Eternauts", "An eternal hour and a half, in the best sense."),
    ("Commander Atlas: Iron Winter", "The winter scenes are cold in more ways than one."),
    ("Blackwidows", "The black comedy never quite lands."),
]


@pytest.mark.parametrize(("title", "review"), CLEAN)
def test_clean_reviews_pass(title: str, review: str) -> None:
    film = names(title)
    assert giveaways(shown(review, film), film) == []


@pytest.mark.parametrize(
    ("title", "review", "expected"),
    [
        (
            "Commander Atlas: Iron Winter",
            "Commander Atlas: Iron Winter is fun; Iron Winter is loud.",
            f"{MASK} is fun; {MASK} is loud.",
        ),
        # The blank swallows a title word beside it instead of leaving "▇▇▇▇ Winter".
        ("Commander Atlas: Iron Winter", "Atlas Winter is fun.", f"{MASK} is fun."),
        (
            "Blade Rider 2049",
            "Blade Rider improves on Blade Rider 2049.",
            f"{MASK} improves on {MASK}.",
        ),
    ],
)
def test_blanking_leaves_no_title_word_beside_the_blank(
    title: str, review: str, expected: str
) -> None:
    assert redact_title(review, title) == expected


def test_character_names_leave_out_the_cast_and_places() -> None:
    synopsis = (
        "While on holiday in Lisbon, Canadian clerk Mara Voss (Ann Example) is drawn into a plot. "
        "Then Voss meets Inspector Kell (Bob Sample) near Porto."
    )
    found = leaks.character_names(synopsis)
    assert {"Mara", "Voss", "Inspector", "Kell"} <= set(found)
    assert not {"Ann", "Example", "Bob", "Sample", "Lisbon", "Porto", "While", "Then"} & set(found)


def test_franchise_is_the_shared_head_or_distinctive_word() -> None:
    assert FRANCHISE.relatives("Commander Atlas: Iron Winter") == (
        "Commander Atlas: The Frost Soldier",
    )
    assert "Beetle-Man" in FRANCHISE.relatives("Beetle-Man and the Hornet: Quantaclysm")
    assert FRANCHISE.relatives("The Quiet Harbour") == ()
