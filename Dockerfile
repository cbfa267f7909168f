# syntax=docker/dockerfile:1
# Guess That Movie: one image for the web workers and for the one-off migration command.
#   docker build -t guessthatmovie .
#   docker run --rm --env-file app.env guessthatmovie alembic upgrade head    # migrations, once
#   docker run -d --env-file app.env -p 127.0.0.1:8000:8000 guessthatmovie   # the web workers
# Configuration (SECRET_KEY, DATABASE_URL, REDIS_URL...) comes from the environment at run time;
# nothing secret is baked in, and .dockerignore keeps .env files, instance/ and databases out.
#
# Base images are pinned by exact version and by digest (the digest of that tag's multi-platform
# manifest), so a rebuild gets the same bytes; Dependabot (.github/dependabot.yml) proposes bumps.
# Where Docker Hub cannot be reached, a mirror's copy stands in through the build arguments:
#   docker build --build-arg PYTHON_IMAGE=mirror.example/python:3.11.14-slim-bookworm@sha256:... .
# Behind a TLS-inspecting proxy, npm and pip must trust the company's CA: pass it (PEM text) as
#   docker build --build-arg BUILD_CA_CERT="$(cat company-ca.pem)" .
# Only the two build stages read it, for their downloads, and delete it in the same step; the
# runtime stage never declares it, so the pushed image neither holds nor trusts it.
# checkov:skip=CKV_DOCKER_7:The FROM lines name build arguments, whose defaults just above pin an exact version and a digest (tests/test_deploy_files.py checks them)
ARG NODE_IMAGE=node:20.20.2-bookworm-slim@sha256:2cf067cfed83d5ea958367df9f966191a942351a2df77d6f0193e162b5febfc0
ARG PYTHON_IMAGE=python:3.11.14-slim-bookworm@sha256:65a93d69fa75478d554f4ad27c85c1e69fa184956261b4301ebaf6dbb0a3543d

# --- Front-end assets: htmx from npm, exactly as package-lock.json pins it -----------------------
FROM ${NODE_IMAGE} AS assets
WORKDIR /build
COPY package.json package-lock.json ./
ARG BUILD_CA_CERT=""
# Only the runtime packages (htmx); the test and lint tools are devDependencies. A company CA
# (BUILD_CA_CERT) is added to Node's own roots for this step alone.
RUN if [ -n "$BUILD_CA_CERT" ]; then printf '%s\n' "$BUILD_CA_CERT" > /tmp/build-ca.pem; \
        export NODE_EXTRA_CA_CERTS=/tmp/build-ca.pem; fi \
    && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error \
    && rm -f /tmp/build-ca.pem

# --- Python dependencies: the lock's runtime half, every file checked against its hash -----------
FROM ${PYTHON_IMAGE} AS python-deps
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /build
COPY requirements/runtime.txt ./
# The dependencies only (requirements/runtime.txt, made by `make lock`), not the package: the app
# runs from /app/src so that it finds templates/, partials/ and static/ beside it.
# A company CA (BUILD_CA_CERT) joins the system's roots in a bundle of this step alone.
ARG BUILD_CA_CERT=""
RUN if [ -n "$BUILD_CA_CERT" ]; then \
        { cat /etc/ssl/certs/ca-certificates.crt; printf '%s\n' "$BUILD_CA_CERT"; } > /tmp/build-ca.pem; \
        export PIP_CERT=/tmp/build-ca.pem; fi \
    && python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --require-hashes --no-deps -r runtime.txt \
    && rm -f /tmp/build-ca.pem

# --- Runtime ------------------------------------------------------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app/src \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    GTM_INSTANCE_PATH=/app/instance \
    GUNICORN_BIND=0.0.0.0:8000
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent \
       --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=python-deps /opt/venv /opt/venv
COPY alembic.ini gunicorn.conf.py ./
COPY alembic ./alembic
COPY src ./src
COPY templates ./templates
COPY partials ./partials
COPY static ./static
COPY --from=assets /build/node_modules/htmx.org/dist/htmx.min.js ./static/vendor/htmx.min.js
# The app creates its instance folder at start-up; it must exist and be the app user's, while the
# code itself stays root-owned and read-only to the process.
RUN mkdir /app/instance && chown app:app /app/instance
USER 10001:10001
EXPOSE 8000
# No curl in a slim image: Python's own urllib asks /healthz (the process serves) and any error,
# including a non-2xx status, exits non-zero.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# Migrations are a separate one-off command (see above), never run by the workers.
CMD ["gunicorn", "-c", "gunicorn.conf.py", "guessthatmovie:create_app()"]
