#!/usr/bin/env bash
# Install into .venv and run the main job on the bundled sample data.
source "$(dirname "$0")/_venv.sh" run
exec .venv/bin/planner plan sample_data/flevoland --time-limit 20 --out out/sample "$@"
