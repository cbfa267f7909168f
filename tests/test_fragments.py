"""What every player of a puzzle sees alike is rendered once per worker (web/fragments.py)."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from guessthatmovie.web import fragments
from tests.conftest import Player


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record each partial that fragment() renders (rather than takes from its memo)."""
    seen: list[str] = []
    real = fragments.render_template

    def counted(template: str, **context: Any) -> str:
        seen.append(template)
        return real(template, **context)

    monkeypatch.setattr(fragments, "render_template", counted)
    return seen


def test_cards_lines_and_fields_are_rendered_once_per_worker(
    app: Flask, answer: str, renders: list[str]
) -> None:
    first = Player(app.test_client(), htmx=True)
    first.guess("Lanterns Over Kyoto")
    first.load()
    assert sorted(set(renders)) == [
        "partials/attempts.html",
        "partials/clue.html",
        "partials/facts.html",
        "partials/guess_fields.html",
        "partials/guess_line.html",
        "partials/head_links.html",
        "partials/site_header.html",
        "partials/snippet_sources.html",
    ]
    renders.clear()
    second = Player(app.test_client(), htmx=False)  # another player, the same guess
    second.guess("Lanterns Over Kyoto")
    assert renders == []  # the first player's page and move rendered every variant
    assert second.outcomes == first.outcomes == ["wrong"]
    assert [str(li) for li in second.page.select("[data-clue]")] == [
        str(li) for li in first.page.select("[data-clue]")
    ]


def test_the_newest_clue_alone_is_marked_latest(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=False)
    assert [h.find_parent("li")["data-clue"] for h in player.page.select("#latest-clue")] == [
        "facts"
    ]
    player.skip()
    player.skip()
    marked = player.page.select("#latest-clue")
    assert len(marked) == 1
    assert marked[0].find_parent("li")["id"] == "clue-2"


def test_text_a_player_typed_is_never_kept(app: Flask, answer: str, renders: list[str]) -> None:
    """A refused guess's form echoes the text, rendered for that answer alone, never memoised."""
    player = Player(app.test_client(), htmx=True)  # its page keeps the empty field's form
    renders.clear()
    for _ in range(2):
        status, page = player.guess("Not A Film Anyone Made")
        assert status == 422
        assert page.find("input", attrs={"name": "guess"})["value"] == "Not A Film Anyone Made"
    assert "partials/guess_fields.html" not in renders
    kept = player.client.application.extensions["guessthatmovie.memos"]["fragments"]
    assert kept and not [key for key in kept if "Not A Film Anyone Made" in repr(key)]


def test_pages_are_sent_without_the_templates_indentation(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=False)
    player.guess("Lanterns Over Kyoto")
    page = player.client.get("/").get_data(as_text=True)
    assert "\n " not in page and "\n\t" not in page
    # Text the templates split over lines keeps a space between its words.
    assert "You have\n6 attempts." in page


def test_a_page_opened_mid_game_focuses_the_newest_clue(app: Flask, answer: str) -> None:
    player = Player(app.test_client(), htmx=False)
    assert player.page.select("[autofocus]") == []  # a new game: the page from its top
    player.skip()
    player.skip()
    assert [el.get("id") for el in player.page.select("[autofocus]")] == ["clue-2"]
    # A refused guess's text waits in the field: the field takes the focus instead.
    player.guess("Some Film Nobody Made")
    assert [el.get("id") for el in player.page.select("[autofocus]")] == ["guess"]
    player.guess(answer)
    assert [el.get("id") for el in player.page.select("[autofocus]")] == ["result"]
