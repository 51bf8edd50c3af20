# The one image of every driftq container: workers, beat, Flower and `driftq submit`.
#   docker build -t driftq:local .
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# every dependency pinned with its hashes (`make lock`); pip refuses anything unpinned or
# altered. The AWS emulator of the demo (`driftq[demo]`) is not in it.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
# the package's own files only; configs are mounted at run time (compose: ./config -> /config)
COPY pyproject.toml README.md ./
COPY driftq ./driftq
COPY workers ./workers
RUN pip install --no-deps . \
 && useradd --system --uid 10001 --home-dir /app driftq \
 && mkdir -p /app/reports /data \
 && chown driftq /app/reports /data

# never root: a worker holds AWS credentials
USER driftq
CMD ["celery", "-A", "workers", "worker", "--loglevel=INFO"]
