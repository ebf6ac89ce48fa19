#!/usr/bin/env bash
# Starts TimescaleDB (PostgreSQL 17) in Docker on port 5433 with a `barstream` database and prints
# the DATABASE_URL to use. Data persists in the named volume `barstream-timescaledb`.
# Re-running reuses the container. Stop: docker stop barstream-timescaledb
set -euo pipefail

NAME=${TIMESCALEDB_CONTAINER:-barstream-timescaledb}
PORT=${TIMESCALEDB_PORT:-5433}
PASSWORD=${TIMESCALEDB_PASSWORD:-barstream}
IMAGE=${TIMESCALEDB_IMAGE:-timescale/timescaledb:latest-pg17}

command -v docker >/dev/null || { echo "docker is not installed" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "the Docker engine is not running" >&2; exit 1; }

if docker ps -a --format '{{.Names}}' | grep -qx "$NAME"; then
  echo "starting existing container $NAME"
  docker start "$NAME" >/dev/null
else
  echo "creating container $NAME from $IMAGE"
  docker run -d --name "$NAME" -p "$PORT:5432" \
    -e POSTGRES_PASSWORD="$PASSWORD" -e POSTGRES_DB=barstream \
    -v barstream-timescaledb:/var/lib/postgresql/data "$IMAGE" >/dev/null
fi

echo -n "waiting for PostgreSQL"
for _ in $(seq 1 60); do
  if docker exec "$NAME" pg_isready -U postgres -d barstream >/dev/null 2>&1; then
    echo " ready"
    URL="postgresql://postgres:$PASSWORD@localhost:$PORT/barstream"
    echo
    echo "DATABASE_URL=$URL"
    echo
    echo "Use it:  DATABASE_URL=$URL npm start"
    echo "(migrations create the timescaledb extension and make ohlc_bars and ticks hypertables)"
    exit 0
  fi
  echo -n "."
  sleep 1
done
echo " timed out; see: docker logs $NAME" >&2
exit 1
