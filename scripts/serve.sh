#!/usr/bin/env bash
# Serve the platform: gunicorn (sync workers, persistent DB connections), the background worker and the
# scheduler, kept running by supervisord (a dead process is restarted; Ctrl+C stops all three cleanly).
# Usage: scripts/serve.sh [PORT] [WORKERS]; BIND_HOST (default 127.0.0.1) chooses the interface.
# `.venv/bin/supervisorctl -c var/run/<PORT>/supervisord.conf status` shows the processes.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
PORT="${1:-8000}"
WORKERS="${2:-3}"
HOST="${BIND_HOST:-127.0.0.1}"
# One run directory per port, so two instances on one machine do not share a socket or pid file.
RUN="$ROOT/var/run/$PORT"
mkdir -p "$RUN"
sed -e "s|@ROOT@|$ROOT|g" -e "s|@HOST@|$HOST|g" -e "s|@PORT@|$PORT|g" -e "s|@WORKERS@|$WORKERS|g" \
  -e "s|@RUN@|$RUN|g" deploy/supervisord.conf.template > "$RUN/supervisord.conf"
exec .venv/bin/supervisord -c "$RUN/supervisord.conf"
