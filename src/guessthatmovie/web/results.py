"""Shared result links: a small page with link-preview tags, and the picture the preview shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, current_app, render_template, request
from werkzeug.wrappers import Response

from guessthatmovie import cache, result_card
from guessthatmovie.clock import today
from guessthatmovie.game import result_link, rules, share
from guessthatmovie.store import puzzles
from guessthatmovie.web.edge import absolute_url
from guessthatmovie.web.limits import limit_searches
from guessthatmovie.web.routes import MAX_NUMBER

bp = Blueprint("results", __name__)

# A picture is a pure function of its URL (and the renderer, which the ETag names): keep it.
IMMUTABLE = "public, max-age=31536000, immutable"
PUZZLE_DAY_SECONDS = 60 * 60


@dataclass(frozen=True)
class SharedResult:
    """A result link that names a published puzzle and a grid some finished game could have."""

    number: int
    grid: str
    outcomes: tuple[rules.Outcome, ...]
    attempts: int
    earlier: bool  # an archive puzzle, not today's


def shared_result(number: int, grid: str) -> SharedResult:
    """Return the result a link spells, or answer 404 (a bad grid, an unknown or future puzzle)."""
    attempts = current_app.config["GAME_ATTEMPTS"]
    outcomes = result_link.parse_grid(grid, attempts)
    if outcomes is None:
        abort(404)
    day, now = puzzle_day(number), today()
    if day is None or day > now:
        abort(404)  # no such puzzle, or not yet published
    return SharedResult(number, grid, outcomes, attempts, earlier=day < now)


def puzzle_day(number: int) -> date | None:
    """Return the day of puzzle `number`, if there is one."""
    # A small cache entry of its own, as a number's day never changes: a preview fetch need not
    # load the puzzle with its movie and snippets. A missing puzzle is not remembered.
    stored = cache.remember(f"puzzle-day:{number}", lambda: _stored_day(number), PUZZLE_DAY_SECONDS)
    return date.fromisoformat(stored) if stored is not None else None


def _stored_day(number: int) -> str | None:
    puzzle = puzzles.puzzle_numbered(number)
    return puzzle.day.isoformat() if puzzle is not None else None


@bp.get(f"/r/<int(max={MAX_NUMBER}):number>/<grid>")
def result_page(number: int, grid: str) -> str:
    """Show a shared result to a person, with the tags that chat apps turn into a preview."""
    result = shared_result(number, grid)
    return render_template(
        "result_link.html",
        result=result,
        title=result_link.preview_title(number, result.outcomes, result.attempts),
        summary=result_link.summary(result.outcomes, result.attempts),
        description=result_link.preview_description(result.outcomes, result.attempts),
        squares=share.grid(result.outcomes, result.attempts),
        score=share.score(result.outcomes, result.attempts),
        page_url=absolute_url("results.result_page", number=number, grid=grid),
        image_url=absolute_url("results.result_image", number=number, grid=grid),
    )


@bp.get(f"/r/<int(max={MAX_NUMBER}):number>/<grid>.png")
# Drawing a picture costs ~15 ms of CPU: a client walking every grid of every puzzle is held to
# the typeahead's budget (link-preview bots fetch one picture per shared link).
@limit_searches
def result_image(number: int, grid: str) -> Response:
    """Serve the preview picture: from the cache when drawn before, 304 when the client has it."""
    result = shared_result(number, grid)
    tag = result_card.etag(number, grid, result.attempts)
    response = Response(mimetype="image/png", headers={"Cache-Control": IMMUTABLE})
    response.set_etag(tag)
    if request.if_none_match.contains_weak(tag):
        response.status_code = 304
        return response
    response.set_data(card_png(result, tag))
    return response


def card_png(result: SharedResult, tag: str) -> bytes:
    """Return the picture's bytes from this worker's few kept ones, drawing it on a miss.

    Not in Redis: there are 127 grids per puzzle, so a client walking them would fill it. A
    picture is immutable by URL, so nginx or a CDN in front, and the browser, keep it instead.
    """
    pictures: cache.BoundedBytes | None = current_app.extensions.get("gtm_pictures")
    if pictures is None:
        budget = current_app.config["RESULT_PICTURE_CACHE_BYTES"]
        pictures = current_app.extensions.setdefault("gtm_pictures", cache.BoundedBytes(budget))
    return pictures.remember(
        tag, lambda: result_card.render_png(result.number, result.outcomes, result.attempts)
    )
