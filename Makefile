# qinqing: `make run` serves the platform with demo data; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PROFILE ?= city
WORKERS ?= 3
export DJANGO_SETTINGS_MODULE := config.settings

.PHONY: run test bench install system-packages assets migrate demo lint format clean serve

$(BIN)/.installed: requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	@touch $@

install: $(BIN)/.installed system-packages

# Chinese fonts for the annual summary's PDF (fonts-noto-cjk) and pdftoppm for its test (poppler-utils).
system-packages:
	@if ! fc-list 2>/dev/null | grep -q "Noto Serif CJK" || ! command -v pdftoppm >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk poppler-utils >/dev/null; \
	  else echo "Missing Debian packages: sudo apt-get install fonts-noto-cjk poppler-utils"; fi; \
	fi

# npm's own client installs package-lock.json's exact versions from the configured registry or mirror.
var/vendor/.fetched: package-lock.json scripts/vendor_assets.py
	npm ci --ignore-scripts --no-audit --no-fund
	$(BIN)/python scripts/vendor_assets.py
	@touch $@

assets: install var/vendor/.fetched

migrate: assets
	@mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_regions
	$(BIN)/python manage.py rebuild_policy_index --if-stale
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0

# Demo data once: an existing tree is kept (PROFILE=county|city|province, SEED=<n>).
SEED ?= 2026
demo: migrate
	$(BIN)/python manage.py seed_demo --profile $(PROFILE) --seed $(SEED) --if-empty

run: demo
	@$(BIN)/python manage.py demo_logins
	@echo "亲清 正在启动： http://127.0.0.1:$(PORT)/  （Ctrl+C 停止）"
	@scripts/serve.sh $(PORT) $(WORKERS)

# Serve an existing database without demo data (production-like start).
serve: migrate
	@echo "亲清 正在启动： http://127.0.0.1:$(PORT)/  （Ctrl+C 停止）"
	@scripts/serve.sh $(PORT) $(WORKERS)

test: assets
	@scripts/run_tests.sh

# Every benchmark at a small size (minutes), in throwaway databases; full-size commands in docs/performance/.
bench: install
	@bench/run_all.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache
