# The two commands of the README. Each sets up what it needs: a virtual environment in .venv, reinstalled when
# pyproject.toml changes; for the tests also LibreOffice (the export's recalculation check) when we may install it.
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: app test
app: $(STAMP)
	$(PY) main.py $(ARGS)

test: $(STAMP)
	bash .ci/system-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@
