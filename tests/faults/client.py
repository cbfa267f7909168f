"""Players over plain HTTP for the fault tests: own cookie jar, the page's own form, both ways."""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from tests.servers import Reply, exchange
from tests.test_secrecy import decode_session_cookie

ANSWER = "The Quiet Harbour"
# Titles of the test catalogue that are not the answer: each is a wrong guess, once per game.
WRONG_TITLES = (
    "Lanterns Over Kyoto",
    "Café Lumière Nights",
    "Salt & Pepper Road",
    "Spider-Moth",
    "An Ordinary Miracle",
)
# What a connection cut off by a dying server raises in http.client.
CUT_OFF = (OSError, http.client.HTTPException)
ACKNOWLEDGED = (200, 303)


@dataclass(frozen=True)
class Seen:
    """An answer a client received: when the request went out, and when the answer was in."""

    sent: float
    at: float
    method: str
    htmx: bool
    reply: Reply
    newcomer: bool = False  # sent without a player cookie: a first visit


@dataclass
class Client:
    """One browser: its own cookie jar, and optionally its own address (X-Forwarded-For)."""

    port: int
    address: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    timeout: float = 15.0
    observe: Callable[[Seen], None] | None = None

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        """Send one request on a new connection; a cut-off connection raises (see CUT_OFF)."""
        sent = dict(headers or {})
        if self.address:
            sent["X-Forwarded-For"] = self.address
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        newcomer = "gtm" not in self.cookies
        began = time.monotonic()
        reply = exchange(connection, method, path, body, sent, self.cookies)
        if self.observe is not None:
            htmx = "HX-Request" in sent
            self.observe(Seen(began, time.monotonic(), method, htmx, reply, newcomer))
        return reply

    def get(self, path: str = "/", htmx: bool = False) -> Reply:
        return self.request("GET", path, headers={"HX-Request": "true"} if htmx else None)

    @property
    def player_id(self) -> str:
        """The player id in the signed session cookie (readable, like any player could)."""
        session = json.loads(decode_session_cookie(self.cookies["gtm"]))
        return str(session["player"])


@dataclass(frozen=True)
class Move:
    """One move as posted: where it was sent, what it said, and what came back."""

    player: str
    position: int
    action: str
    text: str
    htmx: bool
    status: int | None  # None: the connection was cut off before an answer
    retry: bool = False


def form_of(page: Reply) -> tuple[str, dict[str, str]] | None:
    """Return the guess form's action URL and hidden fields, or None when the game is over."""
    form = page.html.find("form", id="guess-form")
    if form is None:
        return None
    fields = {
        "csrf_token": form.find("input", attrs={"name": "csrf_token"})["value"],
        "position": form.find("input", attrs={"name": "position"})["value"],
    }
    return str(form["action"]), fields


def post_move(client: Client, url: str, fields: dict[str, str], htmx: bool) -> Reply:
    """Post a move as the form would (htmx adds its header and gets a fragment)."""
    headers = {"HX-Request": "true"} if htmx else {}
    return client.request("POST", url, urlencode(fields), headers)


def play_game(
    client: Client,
    htmx: bool,
    rng: random.Random,
    record: Callable[[Move], None],
    stop: threading.Event,
    retry_cut_off: bool = True,
) -> None:
    """Play one game of wrong guesses and skips; a cut-off move is sent once more, unchanged."""
    plan = [("guess", title) for title in WRONG_TITLES[:4]] + [("skip", ""), ("skip", "")]
    rng.shuffle(plan)
    for action, text in plan:
        if stop.is_set():
            return
        page = client.get()
        found = form_of(page) if page.status == 200 else None
        if found is None:
            return
        url, fields = found
        fields.update(action=action, guess=text)
        position = int(fields["position"])
        for attempt in range(2 if retry_cut_off else 1):
            try:
                status: int | None = post_move(client, url, fields, htmx).status
            except CUT_OFF:
                status = None
            record(Move(client.player_id, position, action, text, htmx, status, attempt > 0))
            if status is not None:
                break


@dataclass
class Load:
    """Threads of players playing games until told to stop; every move and page is recorded."""

    port: int
    threads: int
    addresses: bool = False  # give each game its own client address (own rate-limit budget)
    moves: list[Move] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workers: list[threading.Thread] = field(default_factory=list)

    def record(self, move: Move) -> None:
        with self._lock:
            self.moves.append(move)

    def observe(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    def _run(self, index: int) -> None:
        rng = random.Random(index)
        game = 0
        while not self.stop.is_set():
            game += 1
            address = f"10.{index}.{game // 250}.{game % 250 + 1}" if self.addresses else None
            client = Client(self.port, address, observe=self.observe)
            try:
                play_game(client, bool((index + game) % 2), rng, self.record, self.stop)
                if client.cookies.get("gtm") is None:
                    time.sleep(0.05)  # no page (the database is away): do not spin
            except CUT_OFF as error:  # a page load cut off: start a new game
                with self._lock:
                    self.failures.append(f"page: {type(error).__name__}")
            except Exception as error:  # reported by the test, not lost in a thread
                with self._lock:
                    self.failures.append(f"{type(error).__name__}: {error}")
                time.sleep(0.05)

    def __enter__(self) -> Load:
        for index in range(self.threads):
            thread = threading.Thread(target=self._run, args=(index,), daemon=True)
            thread.start()
            self._workers.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self._workers:
            thread.join(timeout=30)
