# One entry point per job. Everything installs into .venv on first use, pinned by constraints.txt.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= 2
export OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS ?= 1
export MKL_NUM_THREADS ?= 1

.PHONY: setup test check lint bench cases report readme site notebook notebooks case-topic-modeling case-language-id case-small-deep-model case-vector-search clean

setup: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[topic-modeling,language-id,small-deep-model,vector-search,dask,export,dev]"
	@touch $@

test: setup
	$(BIN)/python -m pytest -q -n 2 --dist worksteal  # two workers (the suite is mostly single-threaded trials); worksteal keeps the long notebook smoke tests from ending on one worker

lint: setup
	$(BIN)/ruff check src cases tests bench

check: lint test

case-topic-modeling: setup
	$(BIN)/mummybench run topic-modeling --plan full --jobs $(JOBS) --results results
	$(BIN)/mummybench readme

case-language-id: setup
	$(BIN)/mummybench run language-id --plan full --jobs $(JOBS) --results results
	$(BIN)/mummybench readme

case-small-deep-model: setup
	$(BIN)/mummybench run small-deep-model --plan full --jobs $(JOBS) --results results
	$(BIN)/mummybench readme

case-vector-search: setup
	$(BIN)/mummybench run vector-search --plan full --jobs $(JOBS) --results results
	$(BIN)/mummybench readme

cases: case-topic-modeling case-language-id case-small-deep-model case-vector-search

report: setup
	$(BIN)/mummybench report topic-modeling --results results
	$(BIN)/mummybench report language-id --results results
	$(BIN)/mummybench report small-deep-model --results results
	$(BIN)/mummybench report vector-search --results results
	$(BIN)/mummybench readme

readme: setup
	$(BIN)/mummybench readme

site: setup
	$(BIN)/mummybench site --out site

# Execute every case notebook on its quick plan (what CI does in the smoke tests) -> runs/executed-notebooks/*.ipynb
notebooks: setup
	$(BIN)/python -m mummybench.notebooks --out runs/executed-notebooks

# Open one case's notebook in JupyterLab (installed on first use): make notebook CASE=language-id. The .ipynb is
# made beside its source (cases/<case>/notebook.ipynb, ignored by git) once, and never overwritten after.
CASE ?= language-id
NB = cases/$(subst -,_,$(CASE))/notebook
notebook: setup
	@test -f $(NB).py || { echo "no notebook for CASE=$(CASE): cases/*/notebook.py are $$(ls cases/*/notebook.py | tr '\n' ' ')"; exit 2; }
	$(BIN)/python -m pip install -q --disable-pip-version-check -c constraints.txt -e ".[notebook]"
	@test -f $(NB).ipynb && echo "opening your existing $(NB).ipynb (delete it for a fresh copy)" || \
	  $(BIN)/jupytext --to ipynb --output $(NB).ipynb $(NB).py
	$(BIN)/jupyter lab --ServerApp.root_dir=. $(if $(filter 0,$(shell id -u)),--allow-root,) $(NB).ipynb

bench: setup
	$(BIN)/python bench/run.py --out results/bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build site
