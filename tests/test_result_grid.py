"""The result link's grid (spelling and strict parsing) and the preview picture, without the app."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from PIL import Image

from guessthatmovie import result_card
from guessthatmovie.game import result_link

W, S, R = "wrong", "skipped", "right"


@pytest.mark.parametrize(
    ("grid", "attempts", "outcomes"),
    [
        ("o", 6, (R,)),
        ("xso", 6, (W, S, R)),
        ("sssss" + "o", 6, (S, S, S, S, S, R)),
        ("xxxxxx", 6, (W,) * 6),
        ("ssssss", 6, (S,) * 6),
        ("xsxsxs", 6, (W, S, W, S, W, S)),
        ("xo", 2, (W, R)),
        ("xx", 2, (W, W)),
        ("x" * 19 + "o", 20, (W,) * 19 + (R,)),
    ],
)
def test_good_grids(grid: str, attempts: int, outcomes: tuple[str, ...]) -> None:
    assert result_link.parse_grid(grid, attempts) == outcomes
    assert result_link.spell_grid(outcomes) == grid


@pytest.mark.parametrize(
    ("grid", "why"),
    [
        ("", "no moves: not a finished game"),
        ("x", "a loss must use every attempt"),
        ("xsxss", "five misses of six: the game is not over"),
        ("xxxxxxx", "longer than the attempts"),
        ("sssssso", "a win after the last attempt"),
        ("ox", "a move after the right answer"),
        ("oo", "two right answers"),
        ("xos", "a skip after the right answer"),
        ("X", "upper case is not in the alphabet"),
        ("xSo", "upper case in the middle"),
        ("xzo", "a letter outside the alphabet"),
        ("x-o", "punctuation"),
        ("x o", "a space"),
        ("xо", "a Cyrillic o that looks like ours"),
        ("🟥🟩", "the share text's squares are not the link's alphabet"),
        ("o.png", "an extension is not part of a grid"),
        ("<script>", "markup"),
        ("o" * 10_000, "absurdly long"),
    ],
)
def test_bad_grids(grid: str, why: str) -> None:
    assert result_link.parse_grid(grid, 6) is None, why


def test_every_outcome_has_its_own_letter() -> None:
    assert set(result_link.LETTERS) == {W, S, R}
    assert len(set(result_link.LETTERS.values())) == 3
    assert all(len(letter) == 1 and letter.islower() for letter in result_link.LETTERS.values())


def test_preview_texts_say_the_score_and_nothing_else() -> None:
    assert result_link.preview_title(12, (W, S, R), 6) == "Guess That Movie #12 — 3/6"
    assert result_link.preview_title(12, (W,) * 6, 6) == "Guess That Movie #12 — X/6"
    assert result_link.summary((R,), 6) == "A player found the movie in 1 of 6 attempts."
    assert result_link.summary((W, R), 6) == "A player found the movie in 2 of 6 attempts."
    lost = result_link.summary((S,) * 6, 6)
    assert lost == "A player used all 6 attempts without finding the movie."
    assert result_link.preview_description((S,) * 6, 6).startswith(lost)


# --- the picture ------------------------------------------------------------------------------


def open_png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGB")


def cell_colours(image: Image.Image, box: result_card.Box) -> Counter[tuple[int, int, int]]:
    """Count the colours inside a square, its outline left out."""
    inset = max(4, box.size // 10)
    inner = image.crop(
        (box.left + inset, box.top + inset, box.left + box.size - inset, box.top + box.size - inset)
    )
    return Counter(inner.get_flattened_data())


@pytest.mark.parametrize(
    ("outcomes", "attempts"),
    [((W, S, R), 6), ((S, W, S, W, S, W), 6), ((R,), 6), ((W, R), 2), ((S,) * 19 + (R,), 20)],
)
def test_the_picture_shows_each_attempt_by_colour_and_mark(
    outcomes: tuple[str, ...], attempts: int
) -> None:
    image = open_png(result_card.render_png(12, outcomes, attempts))
    assert image.size == (1200, 630)
    kinds = [*outcomes, *["unused"] * (attempts - len(outcomes))]
    boxes = result_card.grid_boxes(attempts)
    assert len(boxes) == attempts
    for box, kind in zip(boxes, kinds, strict=True):
        colours = cell_colours(image, box)
        fill = result_card.FILLS[kind]
        # The square's own colour fills most of it...
        assert colours.most_common(1)[0][0] == fill, (kind, colours.most_common(3))
        # ...the centre is that colour, or the mark drawn across it (the cross, the bar)...
        centre = image.getpixel(box.centre)
        assert centre == (result_card.MARK_COLOUR if kind in (W, S) else fill), kind
        # ...and a played attempt carries a mark of its own; an unused one is blank.
        if kind == "unused":
            assert list(colours) == [fill]
        else:
            assert colours[result_card.MARK_COLOUR] / colours.total() > 0.04, kind


def test_marks_differ_in_shape_not_only_in_colour() -> None:
    """Each outcome's mark covers different pixels: a reader without colour tells them apart."""
    image = open_png(result_card.render_png(12, (W, S, R), 6))
    shapes = []
    for box in result_card.grid_boxes(6)[:3]:
        square = image.crop((box.left, box.top, box.left + box.size, box.top + box.size))
        shapes.append(
            frozenset(
                point
                for point, colour in zip(
                    ((x, y) for y in range(box.size) for x in range(box.size)),
                    square.get_flattened_data(),
                    strict=True,
                )
                if colour == result_card.MARK_COLOUR
            )
        )
    assert len(set(shapes)) == 3
    for a in range(3):
        for b in range(a + 1, 3):
            overlap = len(shapes[a] & shapes[b]) / min(len(shapes[a]), len(shapes[b]))
            assert overlap < 0.5


def test_the_same_input_draws_the_same_bytes() -> None:
    first = result_card.render_png(69, (W, S, R), 6)
    assert result_card.render_png(69, (W, S, R), 6) == first
    assert result_card.render_png(69, (W, W, R), 6) != first
    assert result_card.render_png(70, (W, S, R), 6) != first
    # No text chunks (software, dates): only the image itself.
    assert Image.open(io.BytesIO(first)).info.keys() <= {"dpi"}
    assert b"tIME" not in first and b"tEXt" not in first and b"iTXt" not in first


def test_the_etag_names_the_input_and_the_renderer() -> None:
    tag = result_card.etag(69, "xso", 6)
    assert tag == result_card.etag(69, "xso", 6)
    assert len({tag, result_card.etag(69, "xxo", 6), result_card.etag(70, "xso", 6)}) == 3
    assert result_card.etag(69, "xso", 7) != tag
