#!/usr/bin/env bash
# Start gunicorn (sync workers, persistent DB connections), the background worker and the scheduler;
# stop all three together (Ctrl+C, or a signal to this script).
# Usage: scripts/serve.sh [PORT] [WORKERS]; BIND_HOST (default 127.0.0.1) chooses the interface.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8000}"
WORKERS="${2:-3}"
HOST="${BIND_HOST:-127.0.0.1}"
BIN=.venv/bin

# run_worker resumes jobs interrupted by a previous stop before it runs db_worker.
if [ -f qinqing/core/management/commands/run_worker.py ]; then
  $BIN/python manage.py run_worker --queue-name '*' &
else
  $BIN/python manage.py db_worker --queue-name '*' &
fi
WORKER_PID=$!
$BIN/python manage.py run_scheduler &
SCHED_PID=$!
trap 'kill $WORKER_PID $SCHED_PID 2>/dev/null || true' EXIT INT TERM

# No control socket: its default path is per user, so two instances on one host would clash.
$BIN/gunicorn config.wsgi:application --bind "${HOST}:${PORT}" --workers "$WORKERS" --worker-class sync \
  --access-logfile - --timeout 120 --no-control-socket
