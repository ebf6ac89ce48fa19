#!/usr/bin/env bash
# Runs each service as its own background process (like the origin's run_services.sh), logs and
# pids under .data/run/. Usage: scripts/run-services.sh start|stop|status
# Without DATABASE_URL it first starts the embedded PostgreSQL (npm run db).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN_DIR=.data/run
mkdir -p "$RUN_DIR"
SERVICES=(ingester analyzer broadcaster alerter trader web)

start_one() {
  local name=$1; shift
  if [ -f "$RUN_DIR/$name.pid" ] && kill -0 "$(cat "$RUN_DIR/$name.pid")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$RUN_DIR/$name.pid"))"; return
  fi
  setsid "$@" >"$RUN_DIR/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/$name.pid"
  echo "$name started (pid $!, log $RUN_DIR/$name.log)"
}

stop_one() {
  local name=$1 pid
  [ -f "$RUN_DIR/$name.pid" ] || return 0
  pid=$(cat "$RUN_DIR/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    echo "$name stopped"
  fi
  rm -f "$RUN_DIR/$name.pid"
}

case "${1:-start}" in
  start)
    if [ -z "${DATABASE_URL:-}" ]; then
      start_one db node --import tsx scripts/database.ts
      for _ in $(seq 1 100); do grep -q "ready" "$RUN_DIR/db.log" 2>/dev/null && break; sleep 0.2; done
    else
      node --import tsx scripts/migrate.ts
    fi
    # The services run compiled (npm run build → dist/<service>/main.js), as npm start and the images run them.
    node --import tsx scripts/build.ts --no-web --quiet
    start_one ingester node --max-old-space-size=160 --heap-growing-percent=100 --always-sparkplug --single-threaded-gc --enable-source-maps dist/ingester/main.js
    # ingester/src/node-flags.ts and analyzer/src/node-flags.ts (scripts/service-node-flags.test.ts keeps these lines in step)
    start_one analyzer node --initial-old-space-size=96 --enable-source-maps dist/analyzer/main.js
    for s in broadcaster alerter trader; do start_one "$s" node --enable-source-maps "dist/$s/main.js"; done
    start_one web npm run start -w web
    ;;
  stop)
    for s in web trader alerter broadcaster analyzer ingester db; do stop_one "$s"; done
    ;;
  status)
    for s in db "${SERVICES[@]}"; do
      if [ -f "$RUN_DIR/$s.pid" ] && kill -0 "$(cat "$RUN_DIR/$s.pid")" 2>/dev/null; then echo "$s: running"; else echo "$s: stopped"; fi
    done
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
