# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: run test lint

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

# A random secret key for local runs, kept out of git.
.secret_key: | $(INSTALLED)
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .secret_key

run: $(INSTALLED) .secret_key
	export DJANGO_SECRET_KEY="$$(cat .secret_key)" DJANGO_HTTPS=0 DJANGO_SERVE_MEDIA=1 && \
	$(BIN)/python manage.py migrate --noinput && \
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0 && \
	$(BIN)/python manage.py bootstrap && \
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(INSTALLED)
	$(BIN)/python -m pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
