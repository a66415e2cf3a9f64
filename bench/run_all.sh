#!/bin/sh
# Every benchmark at a small size, each in its own PostgreSQL database (qq_bench_<name>_<pid>, dropped at the
# end) and its own temporary directory: a few minutes on the project's 2-core machine. The full-size command of
# each is in its docstring and on its page under docs/performance/.
#   make bench                      (PG at 127.0.0.1:5432, user postgres; BENCH_PG to change the server URL)
set -u
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PG=${BENCH_PG:-postgres://postgres@127.0.0.1:5432}
TAG=$$
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/qq_bench_XXXXXX")
# Every database the run may create, listed here: db() runs inside $(...), a subshell, so it cannot add to it.
DBS="qq_bench_import_$TAG qq_bench_indexes_$TAG"
failed=""
db() { echo "$PG/qq_bench_$1_$TAG"; }
run() {
  name=$1; shift
  echo; echo "=== $name: $*"
  start=$(date +%s)
  if ! "$@"; then failed="$failed $name"; fi
  echo "--- $name: $(( $(date +%s) - start )) s"
}
cleanup() {
  for d in $DBS; do psql "$PG/postgres" -qc "drop database if exists \"$d\" with (force)" >/dev/null 2>&1; done
  rm -rf "$SCRATCH"
}
trap cleanup EXIT INT TERM

for d in appeals financing matching reports registry_figures home search surveys partitioning province; do
  DBS="$DBS qq_bench_${d}_$TAG"
  psql "$PG/postgres" -qc "create database qq_bench_${d}_$TAG" >/dev/null
done
run appeals $PY bench/appeals/run.py --rows 20000 --runs 5 --db "$(db appeals)"
run financing $PY bench/financing/run.py --postgres "$(db financing)" --needs 20000 --repeat 5
run financing-matching $PY bench/financing/matching.py --enterprises 20000 --products 200 --naive-sample 20
run matching $PY bench/matching/run.py --enterprises 20000 --policies 100 --loop-sample 200 --postgres "$(db matching)"
run reports $PY bench/reports/run.py --enterprises 20000 --appeals 4000 --members 5000 --db "$(db reports)"
run registry-figures $PY bench/registry_figures/run.py --enterprises 20000 --chambers 500 --runs 1 --db "$(db registry_figures)"
run search-sqlite env QINQING_SQLITE_PATH="$SCRATCH/search.sqlite3" $PY bench/search/run.py --policies 5000 --queries 40 --index "$SCRATCH/search-sqlite-index"
run search-postgres env DATABASE_URL="$(db search)" $PY bench/search/run.py --policies 5000 --queries 40 --index "$SCRATCH/search-postgres-index"
run health $PY bench/health/run.py --enterprises 20000 --repeat 1 --loop-sample 2000
run surveys $PY bench/surveys/run.py --postgres "$(db surveys)" --responses 5000 --runs 1 --scratch "$SCRATCH/surveys"
run partitioning $PY bench/partitioning/run.py --db "$(db partitioning)" --rows 20000 --years 3 --runs 5
run import env BENCH_PG_DB="qq_bench_import_$TAG" $PY bench/import_enterprises/run.py --rows 3000 --die-rows 300 --repeat 1 --floor --scratch "$SCRATCH/import"
run indexes env BENCH_PG_DB="qq_bench_indexes_$TAG" $PY bench/indexes/run.py --rows 50000 --batch 5000 --repeat 3 --scratch "$SCRATCH/indexes"
run home env DATABASE_URL="$(db home)" $PY bench/home/run.py --seed-profile county --clients 8 --requests 64 --scratch "$SCRATCH/home"
run province $PY bench/province/run.py --db "$(db province)" --seed-profile county --enterprises 20000 --scale 0.01 --users 10 --duration 30 --servers 1 2 --workers 2 --import-rows 1000 --scratch "$SCRATCH/province"
echo
if [ -n "$failed" ]; then echo "failed:$failed"; exit 1; fi
echo "all benchmarks ran"
