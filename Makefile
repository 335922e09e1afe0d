# The two commands of the README. Each sets up what it needs: a virtual environment in .venv, reinstalled when
# pyproject.toml changes; for the window the system libraries of Qt's xcb plugin (.ci/app-deps), for the tests
# LibreOffice (the export's recalculation check; .ci/system-deps), each installed when missing and we may.
VENV  := .venv
PY    := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: app test dist
app: $(STAMP)
	bash .ci/app-deps $(PY)
	$(PY) main.py $(ARGS)

test: $(STAMP)
	bash .ci/system-deps
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q $(PYTEST_ARGS)

# The packaged app: a PyInstaller one-folder bundle in dist/bubblescope/ (run dist/bubblescope/bubblescope), then
# a smoke test of the bundle itself (a window screenshot offscreen, report and check on its bundled template).
dist: $(STAMP)
	$(PY) -m pip install -q -e '.[dist]'
	$(VENV)/bin/pyinstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build/pyinstaller \
		packaging/bubblescope.spec
	bash .ci/dist-smoke dist/bubblescope $(PY)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@
