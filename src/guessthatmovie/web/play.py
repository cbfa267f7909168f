"""Today's puzzle, past puzzles, and the guess/skip form (htmx fragment or Post/Redirect/Get)."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from werkzeug.wrappers import Response

from guessthatmovie import moves
from guessthatmovie.board import Board, build_board
from guessthatmovie.clock import now, today
from guessthatmovie.game import rules, streaks, titles
from guessthatmovie.store import plays, puzzles
from guessthatmovie.store.day_puzzle import DayPuzzle
from guessthatmovie.web import notices
from guessthatmovie.web.errors import problem
from guessthatmovie.web.htmx import wants_fragment
from guessthatmovie.web.limits import limit_moves
from guessthatmovie.web.panels import result_context
from guessthatmovie.web.player import current_player_id, is_new_player
from guessthatmovie.web.routes import MAX_NUMBER

bp = Blueprint("play", __name__)


@bp.get("/")
def today_page() -> str | tuple[str, int]:
    """Show today's puzzle, scheduling it if nobody has yet."""
    day = today()
    launch = current_app.config["GAME_LAUNCH_DATE"]
    if day < launch:
        return render_template("not_yet.html", launch=launch)
    needed = rules.clues_needed(current_app.config["GAME_ATTEMPTS"])
    # Players asking for the day get a film even where the variety rules leave none.
    pick = puzzles.PickRules(
        needed, min_ratings=current_app.config["PUZZLE_MIN_RATINGS"], relax=True
    )
    puzzle = puzzles.ensure_puzzle(
        day, launch, pick, current_app.config["SECRET_KEY"].encode(), now()
    )
    if puzzle is None:
        return render_template("no_puzzle.html"), 503
    return render_page(puzzle)


@bp.get(f"/puzzle/<int(max={MAX_NUMBER}):number>")
def puzzle_page(number: int) -> str | Response:
    """Show a puzzle by number: today's, or an earlier one (finish yesterday's after midnight)."""
    puzzle = published_puzzle(number)
    if puzzle.day == today():
        # A notice named in the query (a refused form's) goes along.
        notice = request.args.get(notices.QUERY_ARG)
        target = url_for("play.today_page")
        known = notice in notices.QUERY_NOTICES
        return redirect(f"{target}?{notices.QUERY_ARG}={notice}" if known else target)
    return render_page(puzzle)


@bp.post(f"/puzzle/<int(max={MAX_NUMBER}):number>/moves")
@limit_moves
def move(number: int) -> Response:
    """Play a guess or a skip; answer a fragment to htmx and a 303 to a plain form."""
    puzzle = published_puzzle(number)
    action = "skip" if request.form.get("action") == "skip" else "guess"
    text = titles.clean_text(request.form.get("guess", ""))
    # A position is a few ASCII digits: anything else (signs, other scripts' digits, a long run)
    # is refused before int() reads it.
    raw_position = request.form.get("position", "")
    if not (raw_position.isascii() and raw_position.isdigit() and len(raw_position) <= 6):
        return render_move(puzzle, notices.BAD_FORM, status=400, text=text)
    position = int(raw_position)
    result = moves.make_move(
        current_player_id(),
        puzzle,
        action,
        text,
        position,
        current_app.config["GAME_ATTEMPTS"],
        now(),
        movie_id=picked_movie_id(),
        archive=streaks.is_archive_play(puzzle.day, today()),
    )
    if result.rejection is not None:
        notice = notices.for_rejection(result.rejection, result.suggestions)
        return render_move(puzzle, notice, status=422, text=text, result=result)
    if not wants_fragment():
        # Land on what the move revealed: the result, or the newest clue above the guess field.
        finished = plays.game_of(result.play, current_app.config["GAME_ATTEMPTS"]).finished
        return redirect(page_url(puzzle) + ("#result" if finished else "#latest-clue"), code=303)
    if result.stale:
        return render_move(puzzle, notices.STALE, refresh=True)
    revealed = result.outcome is not rules.Outcome.RIGHT
    return render_move(puzzle, None, revealed=revealed, result=result)


@bp.errorhandler(CSRFError)
def move_expired(error: CSRFError) -> Response:
    """Keep the player's game and typed guess when a form's token fails: show it again, fresh."""
    number = (request.view_args or {}).get("number")
    puzzle = puzzles.puzzle_numbered(number) if isinstance(number, int) else None
    if request.endpoint != "play.move" or puzzle is None or puzzle.day > today():
        return problem(400, notices.EXPIRED.text)
    text = titles.clean_text(request.form.get("guess", ""))
    return render_move(puzzle, notices.EXPIRED, status=400, text=text)


def picked_movie_id() -> int | None:
    """Return the movie id a typeahead pick sent along with the title, if it is a sane one."""
    value = request.form.get("movie_id", "")
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        return None
    return int(value)


def published_puzzle(number: int) -> DayPuzzle:
    """Return a puzzle whose day has come, or answer 404 (future puzzles do not exist yet)."""
    puzzle = puzzles.puzzle_numbered(number)
    if puzzle is None or puzzle.day > today():
        abort(404)
    return puzzle


def page_url(puzzle: DayPuzzle) -> str:
    """Return where a puzzle's page lives: / for today's, /puzzle/N for earlier ones."""
    if puzzle.day == today():
        return url_for("play.today_page")
    return url_for("play.puzzle_page", number=puzzle.number)


def current_board(puzzle: DayPuzzle, result: moves.MoveResult | None = None) -> Board:
    """Build this player's board of a puzzle (from the move's result when it knows the play)."""
    player_id = current_player_id()  # issues the id of a new player (and its cookie)
    if result is not None and result.play_known:
        shown = result.play
    elif is_new_player():
        shown = None  # a player whose id this request issued has no play: no need to ask
    else:
        shown = plays.stored_play(player_id, puzzle.id)
    return build_board(puzzle, shown, plays.game_of(shown, current_app.config["GAME_ATTEMPTS"]))


def render_page(puzzle: DayPuzzle) -> str:
    """Render the full page of a puzzle, with a refused move's notice and text if one waits."""
    notice, text = notices.take(puzzle.number)
    board = current_board(puzzle)
    return render_template(
        "play.html",
        board=board,
        notice=notice or notices.from_query() or notices.for_board(board),
        text=text,
        action_url=url_for("play.move", number=puzzle.number),
        puzzle_url=page_url(puzzle),
        archive=puzzle.day != today(),
        # A kept refusal's text: back in the field; otherwise the newest clue takes the focus.
        focus_guess=bool(text),
        **result_context(puzzle, board),
    )


def render_move(
    puzzle: DayPuzzle,
    notice: notices.Notice | None,
    status: int = 200,
    text: str = "",
    revealed: bool = False,
    refresh: bool = False,
    result: moves.MoveResult | None = None,
) -> Response:
    """Render the answer to a move: the htmx fragment, or a 303 to the page for a plain form."""
    if not wants_fragment():
        if notice is not None:
            notices.keep(puzzle.number, notice, text)
        return redirect(page_url(puzzle) + "#latest-clue", code=303)
    board = current_board(puzzle, result)
    new_clue = board.clues[-1] if revealed and board.clues and not board.finished else None
    body = render_template(
        "partials/move.html",
        board=board,
        notice=notice if notice is not None else notices.for_board(board),
        text=text,
        new_clue=new_clue,
        action_url=url_for("play.move", number=puzzle.number),
        # A refused move leaves the player in the field; an accepted one focuses what it revealed.
        focus_guess=status != 200,
        **result_context(puzzle, board),
    )
    response = make_response(body, status)
    if refresh:
        # The page is behind the stored game (another tab moved): reload it whole.
        response.headers["HX-Refresh"] = "true"
    return response
