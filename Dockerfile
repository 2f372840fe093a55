# The platform's image: production's pinned dependencies only (requirements/base.lock, with
# hashes), no test tools; runs as a non-root user. One image for every role of a cluster, chosen
# by the command: the web node (default), `oversight db_worker`, `oversight run-scheduler`,
# `oversight setup` (migrations). deploy/compose.yaml puts them together; docs/scaling.md.
#
#   docker build -t oversight .
#
# Debian's own Python 3.11 (bookworm), so that the image builds from Debian's archive alone.
ARG BASE=debian:bookworm-slim

FROM ${BASE} AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
    && rm -rf /var/lib/apt/lists/*
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python3 -m venv /opt/oversight
COPY requirements/base.lock /tmp/base.lock
RUN /opt/oversight/bin/pip install --require-hashes -r /tmp/base.lock
COPY pyproject.toml README.md /src/
COPY oversight /src/oversight
RUN /opt/oversight/bin/pip install --no-deps --no-build-isolation /src \
    && rm -rf /src
# Static files into the image, compressed for whitenoise. Production settings need a secret and
# a key to load; throwaway ones serve this step only and do not stay in the image.
RUN SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    FIELD_ENCRYPTION_KEY="$(/opt/oversight/bin/python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
    OVERSIGHT_MODE=production OVERSIGHT_VAR_DIR=/tmp/var STATIC_ROOT=/opt/oversight/static \
    /opt/oversight/bin/oversight collectstatic --noinput --verbosity 0 \
    && rm -rf /tmp/var

FROM ${BASE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends python3 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --create-home --home-dir /var/lib/oversight oversight
COPY --from=build /opt/oversight /opt/oversight
ENV PATH=/opt/oversight/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    TZ=Asia/Shanghai \
    OVERSIGHT_MODE=production \
    OVERSIGHT_VAR_DIR=/var/lib/oversight \
    STATIC_ROOT=/opt/oversight/static \
    MEDIA_ROOT=/var/lib/oversight/media \
    LOG_FORMAT=json
USER oversight
WORKDIR /var/lib/oversight
EXPOSE 8000
# Liveness of the web node; workers and schedulers are watched by their queue (docs/scaling.md).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s \
    CMD python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"
# One web process per container (one core's worth: run as many containers as cores, docs/deploy.md).
CMD ["waitress-serve", "--listen=0.0.0.0:8000", "--threads=8", "oversight.wsgi:application"]
