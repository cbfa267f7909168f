"""Gunicorn settings for Guess That Movie (used by `make play`, the Docker image and operators)."""

from __future__ import annotations

import os
from typing import Any

# The app's table of settings: the variables Gunicorn shares with the app take the same defaults.
from guessthatmovie.config import SETTING


def worker_count(environ: dict[str, str] | os._Environ[str] = os.environ) -> int:
    """Return WEB_CONCURRENCY if set, else 2 x logical CPUs + 1."""
    configured = environ.get("WEB_CONCURRENCY", "").strip()
    if configured:
        count = int(configured)
        if count < 1:
            raise ValueError(f"WEB_CONCURRENCY must be at least 1, not {configured!r}")
        return count
    return 2 * (os.cpu_count() or 1) + 1


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The classic formula: enough workers to keep every CPU busy while others wait on the database.
workers = worker_count()
# The app reads it too (gunicorn sets raw_env before it loads the app): where workers count rate
# limits alone, each takes its share of a limit.
raw_env = [f"WEB_CONCURRENCY={workers}"]
# Sync workers: a request is a short burst of SQL and templating, and nginx in front buffers slow
# clients and uploads, so no worker ever waits on a player's network; async would buy nothing.
worker_class = "sync"
# A guess takes milliseconds; 30 s only catches a worker stuck (a dead database connection) and
# stays under nginx's 60 s proxy_read_timeout, so nginx reports a 502/504 rather than hanging.
timeout = 30
# On SIGTERM (deploys, docker stop) workers finish their requests for up to 20 s before the kill.
graceful_timeout = 20
# Recycle a worker after ~10,000 requests (jittered, so they do not all restart at once) to cap
# slow memory growth. Each new worker forks, connects to PostgreSQL and Redis again and refills
# its memos (the day's puzzle, cards, typeahead answers): at 1,000 a busy worker did that every
# few seconds, which cost more CPU than the requests between (docs/performance.md).
max_requests = 10000
max_requests_jitter = 1000
# The heartbeat file on tmpfs: a worker never stalls on a slow disk (overlay filesystems, EBS).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Only nginx on this host may say which scheme the client used (X-Forwarded-Proto); behind a
# container bridge set FORWARDED_ALLOW_IPS to nginx's address. The client address comes from
# X-Forwarded-For through the app's ProxyFix (PROXY_HOPS).
forwarded_allow_ips = SETTING["FORWARDED_ALLOW_IPS"].read(os.environ, {})

accesslog = "-"  # stdout, for the container runtime or journald to collect
errorlog = "-"
# LOG_FORMAT (the app's own setting, json by default) picks the access log's shape too.
log_format = SETTING["LOG_FORMAT"].read(os.environ, {})
if log_format == "text":
    # `make play`: one short line a person can read per page or move; static files say nothing.
    access_log_format = '%(h)s "%(r)s" %(s)s %(B)s bytes %(M)d ms'
    logger_class = "guessthatmovie.gunicorn_log.QuietStaticLogger"
else:
    # One JSON object per request; "client" is the player's address as nginx saw it (the TCP peer
    # of gunicorn is nginx itself), "request_id" matches nginx's log and the app's.
    access_log_format = (
        '{"time": "%(t)s", "client": "%({x-forwarded-for}i)s", "peer": "%(h)s", '
        '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", '
        '"duration_ms": %(M)s, "request_id": "%({x-request-id}i)s", "agent": "%(a)s"}'
    )

# Load the app once in the master: a bad setting stops the start instead of every worker failing
# in a loop, and workers share the loaded code. The app opens no connection while loading, and
# post_fork() below makes sure no pooled one crosses the fork anyway.
preload_app = True

# Gunicorn 27's control socket defaults to one path in $HOME shared by every instance on the host.
control_socket_disable = True


def post_fork(server: Any, worker: Any) -> None:
    """Give each worker its own connection pools: a socket opened before the fork is not shared."""
    from guessthatmovie.extensions import db

    app = server.app.wsgi()
    with app.app_context():
        for engine in db.engines.values():
            # close=False: the parent's connections stay the parent's; the worker opens its own.
            engine.dispose(close=False)


def when_ready(server: Any) -> None:
    """Compile the templates and configure the models once, in the master, before any fork.

    Each worker (and each replacement after max_requests) then starts with them instead of
    spending its first request on them (~30 ms of CPU each time).
    """
    from guessthatmovie import warm_up

    warm_up(server.app.wsgi())
    announce(server)


def announce(server: Any) -> None:
    """Log the address Gunicorn really listens on (GUNICORN_BIND's), once it listens."""
    urls = " and ".join(str(listener) for listener in getattr(server, "LISTENERS", ()))
    if urls:
        # `make play` (text logs) runs in a terminal: say how to stop it too.
        stop = " (Ctrl-C stops it)" if log_format == "text" else ""
        server.log.info("Guess That Movie is on %s%s", urls, stop)
