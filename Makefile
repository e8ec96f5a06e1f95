# The two commands a newcomer types are `make play` and `make test`; both
# bootstrap .venv from pyproject.toml and reinstall only when it changed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: play test check bench clean venv dist test-dist test-lrs

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

play: $(STAMP)
	$(BIN)/pandore

# axe-core for tests/classroom/test_axe.py, from its lock file, when npm is present (best effort:
# without it, or offline, those tests are skipped and say why).
AXE_DIR   := tests/classroom/axe
AXE_STAMP := $(AXE_DIR)/node_modules/.installed

$(AXE_STAMP): $(AXE_DIR)/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix $(AXE_DIR) --no-audit --no-fund --loglevel=error && touch $@ \
			|| echo "note: npm ci failed in $(AXE_DIR): the axe-core tests will be skipped"; \
	else echo "note: npm is not installed: the axe-core tests (tests/classroom/test_axe.py) will be skipped"; fi

test: $(STAMP) $(AXE_STAMP)
	HYPOTHESIS_PROFILE=$${HYPOTHESIS_PROFILE:-$(if $(CI),ci,dev)} SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
		$(BIN)/python -m pytest -q -n $${PYTEST_JOBS:-auto} --dist loadfile

# Against a real Learning Record Store: Ralph, installed once in its own venv (.cache/ralph-venv).
test-lrs: $(STAMP)
	$(BIN)/python -m pytest -q -m lrs tests/classroom

check: $(STAMP)
	$(BIN)/pandore check scenarios

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	$(BIN)/python -m bench $(BENCH_ARGS)

# The standalone folder (PyInstaller, one-folder) and the wheel and sdist, in dist/.
# Its own venv, so that PyInstaller never lands in the one that runs the tests.
DIST_VENV  := .venv-dist
DIST_STAMP := $(DIST_VENV)/.installed

$(DIST_STAMP): pyproject.toml
	@test -x $(DIST_VENV)/bin/python || $(PYTHON) -m venv $(DIST_VENV)
	$(DIST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(DIST_VENV)/bin/python -m pip install --quiet -e '.[dist]'
	@touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	$(DIST_VENV)/bin/python packaging/build.py --wheel

# Builds the folder, then runs it: the window headless, the tutorial in the terminal, the tools.
test-dist: dist $(STAMP)
	PANDORE_DIST=dist/pandore SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy \
		$(BIN)/python -m pytest -q -m dist tests/packaging

clean:
	rm -rf $(VENV) $(DIST_VENV) .pytest_cache .hypothesis build dist $(AXE_DIR)/node_modules
