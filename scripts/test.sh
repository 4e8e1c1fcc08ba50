#!/usr/bin/env bash
# Install into .venv (with test dependencies) and run the whole test suite.
source "$(dirname "$0")/_venv.sh" test
exec .venv/bin/python -m pytest -q "$@"
