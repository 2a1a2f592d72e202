#!/usr/bin/env bash
# Runs rf.py in a virtual environment of its own, built on first use (numpy, scikit-learn from
# PyPI), under ~/.cache/foresight. Arguments: train.csv test.csv trees depth min_leaf max_samples.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${FORESIGHT_SKLEARN_VENV:-$HOME/.cache/foresight/sklearn-venv}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sklearn' 2>/dev/null; then
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install --quiet --disable-pip-version-check numpy scikit-learn >&2
fi
exec "$venv/bin/python" "$here/rf.py" "$@"
