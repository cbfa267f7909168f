"""Database models; constraints hold every invariant the game relies on."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from guessthatmovie.extensions import db

FRESH_AT = 60  # Rotten Tomatoes: 60 % and up is "fresh" (critics) or "upright" (audience).


class Movie(db.Model):  # type: ignore[name-defined,misc]
    """A catalogue movie: the facts shown as the first clue, and its names."""

    __tablename__ = "movies"
    __table_args__ = (
        UniqueConstraint("title", "year"),
        CheckConstraint("critic_score BETWEEN 0 AND 100", name="critic_score_range"),
        CheckConstraint("audience_score BETWEEN 0 AND 100", name="audience_score_range"),
        CheckConstraint("known_score BETWEEN 0 AND 100", name="known_score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    alt_titles: Mapped[list[str]] = mapped_column(JSON, default=list)
    year: Mapped[int | None] = mapped_column(Integer)
    genres: Mapped[list[str]] = mapped_column(JSON, default=list)
    critic_score: Mapped[int | None] = mapped_column(Integer)
    audience_score: Mapped[int | None] = mapped_column(Integer)
    synopsis: Mapped[str] = mapped_column(Text, default="")
    # The critics' consensus of the 2020 dump: it may name the film, so the reveal alone shows it.
    consensus: Mapped[str] = mapped_column(Text, default="", server_default="")
    # How many critics reviewed it (the dump's count): the scheduler's popularity rule.
    critic_count: Mapped[int | None] = mapped_column(Integer)
    # Known-ness (docs/importing.md): what the dump says about how many people know the film.
    audience_count: Mapped[int | None] = mapped_column(Integer)  # 2020: audience ratings
    box_office: Mapped[int | None] = mapped_column(BigInteger)  # 2023: US dollars
    directors: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Audience ratings, or their equivalent from critics or box office (game/known.py): the
    # pick's floor. None: no count at all (a hand-made catalogue), never held back.
    known_ratings: Mapped[int | None] = mapped_column(Integer)
    # Percentile of known_ratings within the catalogue (0-100), refreshed after every load:
    # the one ordering of "better-known first".
    known_score: Mapped[int | None] = mapped_column(Integer)

    snippets: Mapped[list[ReviewSnippet]] = relationship(
        back_populates="movie", order_by="ReviewSnippet.position", cascade="all, delete-orphan"
    )
    # Loaded with a puzzle's movie (the reveal links the film's page); read-only here.
    sources: Mapped[list[MovieSource]] = relationship(viewonly=True)

    @property
    def label(self) -> str:
        """Return the title with its year, as players see it in lists."""
        return f"{self.title} ({self.year})" if self.year else self.title

    @property
    def critics_fresh(self) -> bool | None:
        """Return whether critics rate it fresh (None without a score)."""
        return None if self.critic_score is None else self.critic_score >= FRESH_AT

    @property
    def audience_upright(self) -> bool | None:
        """Return whether the audience score is an upright (rather than spilled) popcorn."""
        return None if self.audience_score is None else self.audience_score >= FRESH_AT


class TitleKey(db.Model):  # type: ignore[name-defined,misc]
    """A normalised name a movie can be guessed by (main and alternate titles)."""

    __tablename__ = "title_keys"
    __table_args__ = (
        # The typeahead searches `words` by prefix, word start and similarity: a trigram index
        # (GiST, pg_trgm) serves all three on PostgreSQL, similarity as nearest-neighbour order;
        # SQLite gets a plain index and scans.
        Index(
            "ix_title_keys_words",
            "words",
            postgresql_using="gist",
            postgresql_ops={"words": "gist_trgm_ops"},
        ),
    )

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    movie_id: Mapped[int] = mapped_column(
        ForeignKey("movies.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # The same name as searchable words ("quiet harbour"): `key` without its spaces.
    words: Mapped[str] = mapped_column(String(300))


class MovieSource(db.Model):  # type: ignore[name-defined,misc]
    """A movie's identity in an imported dump, so that re-imports update instead of duplicating."""

    __tablename__ = "movie_sources"

    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    movie_id: Mapped[int] = mapped_column(ForeignKey("movies.id", ondelete="CASCADE"), index=True)


class ReviewSnippet(db.Model):  # type: ignore[name-defined,misc]
    """A short critic's review of a movie, revealed one per miss."""

    __tablename__ = "review_snippets"
    __table_args__ = (
        UniqueConstraint("movie_id", "position"),
        UniqueConstraint("movie_id", "source_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    movie_id: Mapped[int] = mapped_column(ForeignKey("movies.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    critic: Mapped[str] = mapped_column(String(200))
    publication: Mapped[str] = mapped_column(String(200))
    fresh: Mapped[bool] = mapped_column(Boolean)
    top_critic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Identifies the review in its dump (hash of critic and text) so re-imports do not duplicate it.
    source_key: Mapped[str | None] = mapped_column(String(64))

    movie: Mapped[Movie] = relationship(back_populates="snippets")


class Puzzle(db.Model):  # type: ignore[name-defined,misc]
    """One day's hidden movie; a movie is never used twice."""

    __tablename__ = "puzzles"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, unique=True)
    number: Mapped[int] = mapped_column(Integer, unique=True)
    movie_id: Mapped[int] = mapped_column(ForeignKey("movies.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    movie: Mapped[Movie] = relationship()


class Play(db.Model):  # type: ignore[name-defined,misc]
    """One anonymous player's game of one puzzle."""

    __tablename__ = "plays"
    __table_args__ = (
        UniqueConstraint("player_id", "puzzle_id"),
        CheckConstraint("status IN ('playing', 'won', 'lost')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    player_id: Mapped[str] = mapped_column(String(64))
    puzzle_id: Mapped[int] = mapped_column(ForeignKey("puzzles.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="playing")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Started after its puzzle's day (from the archive): counts as played, never in a streak.
    archive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    guesses: Mapped[list[Guess]] = relationship(
        back_populates="play", order_by="Guess.position", cascade="all, delete-orphan"
    )


class Guess(db.Model):  # type: ignore[name-defined,misc]
    """One accepted move of a play: a wrong or right title, or a skip."""

    __tablename__ = "guesses"
    __table_args__ = (
        UniqueConstraint("play_id", "position"),
        CheckConstraint("outcome IN ('wrong', 'skipped', 'right')", name="outcome_known"),
        CheckConstraint("position >= 0", name="position_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    play_id: Mapped[int] = mapped_column(ForeignKey("plays.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(200), default="")
    movie_id: Mapped[int | None] = mapped_column(ForeignKey("movies.id"))
    outcome: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    play: Mapped[Play] = relationship(back_populates="guesses")
    movie: Mapped[Movie | None] = relationship()


class PuzzleResultCount(db.Model):  # type: ignore[name-defined,misc]
    """How many players finished a puzzle with one result: counters, so figures cost no scan."""

    __tablename__ = "puzzle_result_counts"
    __table_args__ = (CheckConstraint("solved_in >= 0", name="solved_in_not_negative"),)

    puzzle_id: Mapped[int] = mapped_column(
        ForeignKey("puzzles.id", ondelete="CASCADE"), primary_key=True
    )
    # Attempts a win took; 0 counts the games lost.
    solved_in: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    players: Mapped[int] = mapped_column(Integer, default=0)


class TransferCode(db.Model):  # type: ignore[name-defined,misc]
    """A player's one live code for moving to another device: only its keyed hash is stored."""

    __tablename__ = "transfer_codes"

    # One row per player: making a new code replaces the old one.
    player_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class League(db.Model):  # type: ignore[name-defined,misc]
    """Friends playing the daily film together, no account: a name, members, an invite link."""

    __tablename__ = "leagues"
    __table_args__ = (CheckConstraint("member_count >= 0", name="member_count_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    # The invite link's random part that finds the league (game/leagues.py): a new link, a new
    # selector, and the old link finds nothing.
    invite_selector: Mapped[str] = mapped_column(String(8), unique=True)
    # Kept by every join and leave in the same statement that checks it: a full league stays full
    # under concurrent joins, and the last member out deletes the league.
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    # Standings count puzzles from this day on.
    first_day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    members: Mapped[list[LeagueMember]] = relationship(
        back_populates="league", order_by="LeagueMember.id", cascade="all, delete-orphan"
    )


class LeagueMember(db.Model):  # type: ignore[name-defined,misc]
    """A player in a league under a display name; the first to join keeps the league."""

    __tablename__ = "league_members"
    __table_args__ = (
        UniqueConstraint("league_id", "player_id"),
        # Display names are unique within a league in any case or width (game/leagues.name_key).
        UniqueConstraint("league_id", "name_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    league_id: Mapped[int] = mapped_column(ForeignKey("leagues.id", ondelete="CASCADE"))
    player_id: Mapped[str] = mapped_column(String(64), index=True)
    display_name: Mapped[str] = mapped_column(String(24))
    name_key: Mapped[str] = mapped_column(String(96))
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    league: Mapped[League] = relationship(back_populates="members")
