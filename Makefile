# peelstats developer targets. `make help` lists them. Every target goes through dev.py,
# which builds .venv from requirements.lock when needed.
PY := .venv/bin/python
.DEFAULT_GOAL := help

.PHONY: help setup main test lint format prepare default-data notebooks nbval bench lock clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

setup: ## build .venv from requirements.lock (only if it changed)
	python3 dev.py setup

main: ## the main job: every force in the default data, latest complete quarter, into outputs/
	python3 dev.py main

test: ## the whole test suite
	python3 dev.py test

lint: setup ## ruff lint and format check
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format: setup ## ruff format and autofix
	.venv/bin/ruff format . && .venv/bin/ruff check --fix .

prepare: setup ## validate and tidy the police.uk archive in data/raw into data/processed
	.venv/bin/peelstats prepare

default-data: setup ## rebuild the committed default data in data/default from ../shared/data
	.venv/bin/peelstats prepare --archive ../shared/data/police-uk-archive --census ../shared/data/census-2021 --outcomes ../shared/data/home-office-outcomes/crime-outcomes-2017-18.csv.gz --use-of-force ../shared/data/home-office-use-of-force --default

notebooks: setup ## re-execute the committed notebooks with their default parameters
	$(PY) -m peelstats.run.commit_notebooks

nbval: setup ## strict nbval check of the committed notebooks
	$(PY) -m pytest notebooks -p no:cacheprovider

bench: setup ## run the benchmarks and print their tables (copy into docs/benchmarks.md)
	$(PY) benchmarks/bench_stats.py && $(PY) benchmarks/bench_prepare.py && $(PY) benchmarks/bench_batch.py

lock: ## re-resolve requirements.lock from pyproject.toml (needs uv)
	uv pip compile pyproject.toml --extra test --extra build --python-version 3.11 --generate-hashes --no-header -o requirements.lock

clean: ## delete outputs/ and data/processed/ (both rebuildable)
	rm -rf outputs/* data/processed/*
	touch outputs/.gitkeep data/processed/.gitkeep
