"""Read the bundled sample catalogue (our own snippets, real public facts) into records."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from typing import Any

from guessthatmovie.game.records import MovieRecord, ReviewRecord


def read_sample() -> Iterator[MovieRecord]:
    """Yield the bundled sample movies with their review snippets."""
    raw = (
        resources.files("guessthatmovie").joinpath("data/sample_catalogue.json").read_text("utf-8")
    )
    for item in json.loads(raw):
        yield _record(item)


def _record(item: dict[str, Any]) -> MovieRecord:
    return MovieRecord(
        title=item["title"],
        year=item["year"],
        genres=tuple(item["genres"]),
        critic_score=item["critic_score"],
        audience_score=item["audience_score"],
        synopsis=item["synopsis"],
        alt_titles=tuple(item.get("alt_titles", ())),
        snippets=tuple(
            ReviewRecord(
                text=s["text"], critic=s["critic"], publication=s["publication"], fresh=s["fresh"]
            )
            for s in item["snippets"]
        ),
    )
