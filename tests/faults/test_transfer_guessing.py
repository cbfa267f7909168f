"""Sixteen wrong transfer codes at once, with Redis and with Redis gone: five judged at most."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from tests.faults.client import Client
from tests.faults.conftest import WORKERS, RedisServer, Serve, database_with_puzzle
from tests.faults.test_concurrent_submits import all_at_once
from tests.servers import Reply

AT_ONCE = 16
LIMIT = 5  # web/transfer.py REDEEM_FAILURES: 5 per 15 minutes per address


def wrong_codes_at_once(port: int, address: str) -> Counter[int]:
    """Send AT_ONCE wrong codes from one browser and address together; count the statuses."""
    browser = Client(port, address=address)
    page = browser.get("/stats")
    form = page.html.find("form", attrs={"data-transfer": "redeem"})
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    tabs = [Client(port, address=address, cookies=dict(browser.cookies)) for _ in range(AT_ONCE)]
    codes = iter(f"ZZZZ-ZZZZ-ZZ{n:02d}" for n in range(AT_ONCE))

    def redeem(tab: Client) -> Reply:
        body = urlencode({"csrf_token": token, "code": next(codes)})
        return tab.request("POST", "/transfer/redeem", body, {"HX-Request": "true"})

    return Counter(reply.status for reply in all_at_once(tabs, redeem))


def wrong_codes_one_by_one(port: int, address: str) -> list[int]:
    """Send wrong codes one after another, as a person retrying, until a 429; the statuses."""
    browser = Client(port, address=address)
    page = browser.get("/stats")
    form = page.html.find("form", attrs={"data-transfer": "redeem"})
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    statuses: list[int] = []
    for n in range(LIMIT * WORKERS + 1):
        body = urlencode({"csrf_token": token, "code": f"YYYY-YYYY-YY{n:02d}"})
        statuses.append(
            browser.request("POST", "/transfer/redeem", body, {"HX-Request": "true"}).status
        )
        if statuses[-1] == 429:
            break
    return statuses


def test_sixteen_wrong_codes_at_once(
    serve: Serve, workdir: Path, postgres: str, redis_server: RedisServer
) -> None:
    url = database_with_puzzle(workdir, "_faults_transfer")
    _server, port = serve(url, REDIS_URL=redis_server.url())
    shared = wrong_codes_at_once(port, "192.0.2.10")
    assert shared == Counter({422: LIMIT, 429: AT_ONCE - LIMIT}), shared
    redis_server.stop()
    alone = wrong_codes_at_once(port, "192.0.2.11")
    assert set(alone) <= {422, 429}, alone
    # Each worker counting alone judges its share, never below 5 tries (web/limits.py): a player
    # who mistypes gets the documented 5 whichever worker answers, a burst at most 5 per worker.
    assert LIMIT <= alone[422] <= LIMIT * WORKERS, alone
    # A person retrying one code after another, whichever worker answers each: at least the 5
    # documented tries are judged, and the limit still comes (at most 5 per worker).
    one_by_one = wrong_codes_one_by_one(port, "192.0.2.12")
    assert one_by_one[:LIMIT] == [422] * LIMIT, one_by_one
    assert one_by_one[-1] == 429 and len(one_by_one) <= LIMIT * WORKERS + 1, one_by_one
    print(
        f"\nFAULT transfer-guessing: {AT_ONCE} wrong codes at once from one address: with Redis "
        f"{dict(shared)}; Redis gone ({WORKERS} workers counting alone) {dict(alone)}; "
        f"one by one, Redis gone: {one_by_one.count(422)} judged before the 429"
    )
