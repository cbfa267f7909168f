"""A database connection that dies between a request's last query and its teardown."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session


def test_a_connection_lost_before_teardown_still_answers(
    app: Flask, answer: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL restarting ends idle connections: the ROLLBACK at teardown fails, not the page."""
    client = app.test_client()
    assert client.get("/").status_code == 200
    failed = []

    def ended_by_the_server(self: Session, *args: Any) -> None:
        failed.append(True)
        raise OperationalError("ROLLBACK", {}, Exception("terminating connection"))

    monkeypatch.setattr(Session, "rollback", ended_by_the_server)
    with caplog.at_level(logging.WARNING, logger="guessthatmovie.web.errors"):
        page = client.get("/")
    monkeypatch.undo()
    assert failed, "the teardown did not roll back"
    assert page.status_code == 200
    assert "Puzzle #" in page.get_data(as_text=True)
    assert "database connection lost: OperationalError" in caplog.text
    assert client.get("/").status_code == 200  # and the next request has a working connection
