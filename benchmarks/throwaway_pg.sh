#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL 15 cluster, started here (as bin/test does) on a
# free port and removed afterwards; the command sees DATABASE_URL.
#   benchmarks/throwaway_pg.sh .venv/bin/python benchmarks/outbox.py
set -euo pipefail
source "$(dirname "$0")/../bin/lib.sh"

PG_BIN=/usr/lib/postgresql/15/bin
[ -x "$PG_BIN/initdb" ] || ensure_debian_packages postgresql-15
WORK="$(mktemp -d /tmp/s2b2b-bench-pg.XXXXXX)"
PG_PORT="$(free_port)"
run_pg() {  # PostgreSQL refuses to run as root
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
cleanup() {
    run_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
[ "$(id -u)" -eq 0 ] && chown postgres "$WORK"
run_pg "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
run_pg "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg.log" -w -o \
    "-p $PG_PORT -k $WORK -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
run_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres bench
echo ">> throwaway PostgreSQL 15 on 127.0.0.1:$PG_PORT"
DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/bench" "$@"
