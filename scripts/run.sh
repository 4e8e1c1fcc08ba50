#!/usr/bin/env bash
# Install into .venv and start the web UI on the bundled sample data (SQLite file, seeded on first start).
source "$(dirname "$0")/_venv.sh" run
exec .venv/bin/planner serve --sample "$@"
