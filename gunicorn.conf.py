"""Gunicorn settings for Guess That Movie (used by `make play`, the Dockerfile and operators)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The classic formula: enough sync workers to keep the CPUs busy while others wait on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Sync workers: each request is a short burst of SQL and templating, no long-lived connections.
worker_class = "sync"
# A guess takes milliseconds; 30 s only catches a worker stuck on a dead database connection.
timeout = 30
graceful_timeout = 20
accesslog = "-"
errorlog = "-"
# Gunicorn 27's control socket defaults to one path in $HOME shared by every instance on the host.
control_socket_disable = True
