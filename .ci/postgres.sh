# A throwaway PostgreSQL on a loopback port, run as a plain process and stopped by its PID.
PG_PORT="${PG_PORT:-55432}"
PG_URL="postgresql+psycopg://skillgraph@127.0.0.1:${PG_PORT}/skillgraph"

pg_start() {
  local bin
  bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  PG_DIR="$(mktemp -d /tmp/skillgraph-pg.XXXXXX)"
  chown postgres "$PG_DIR" 2>/dev/null || true
  local as=()
  [ "$(id -u)" = 0 ] && as=(runuser -u postgres --)
  "${as[@]}" "$bin/initdb" -D "$PG_DIR/data" -U skillgraph --auth=trust -E UTF8 >/dev/null
  "${as[@]}" "$bin/postgres" -D "$PG_DIR/data" -h 127.0.0.1 -p "$PG_PORT" -k "$PG_DIR" \
    >"$PG_DIR/log" 2>&1 &
  PG_PID=$!
  for _ in $(seq 1 60); do
    if "$bin/pg_isready" -h 127.0.0.1 -p "$PG_PORT" >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  local db
  for db in skillgraph skillgraph_gw0 skillgraph_gw1 skillgraph_gw2 skillgraph_gw3; do
    "$bin/createdb" -h 127.0.0.1 -p "$PG_PORT" -U skillgraph "$db"
  done
  echo "PostgreSQL up on 127.0.0.1:${PG_PORT} (pid ${PG_PID})"
}

pg_stop() {
  if [ -n "${PG_PID:-}" ]; then
    kill "$PG_PID" 2>/dev/null || true
    wait "$PG_PID" 2>/dev/null || true
  fi
  [ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
}
