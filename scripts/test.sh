#!/usr/bin/env bash
# Sets up everything the tests need, then runs lint, the type check (mypy --strict, configured
# in pyproject.toml), the import layers (import-linter, same file) and the whole suite: unit
# tests, the site on SQLite and on PostgreSQL, and the pages in headless Chromium. Extra arguments go to pytest
# (e.g. `-m "not browser"`, `-m postgres`, `-m slow` for the long load and fault runs,
# `tests/campaigns`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test

.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy campaigns web balises media
.venv/bin/lint-imports  # the layers of ARCHITECTURE.md (pyproject.toml, [tool.importlinter])

markers="not slow"
export BALISES_TEST_POSTGRES_URL=${BALISES_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}
if ! .venv/bin/python -c "import os, psycopg; psycopg.connect(os.environ['BALISES_TEST_POSTGRES_URL'], connect_timeout=5).close()" 2>/dev/null; then
    if [ "${CI:-}" = "true" ]; then
        echo "test: PostgreSQL is unreachable at $BALISES_TEST_POSTGRES_URL; CI requires it" >&2
        exit 1
    fi
    echo "test: PostgreSQL unreachable, running without the postgres tests" >&2
    markers="not slow and not postgres"
fi

# The long load and fault runs are `-m slow` (by hand: scripts/test.sh -m slow); a later -m wins.
# loadgroup: the tests of one `xdist_group` (the nginx deployment, started once) share a worker.
.venv/bin/python -m pytest -n 2 --dist loadgroup -p no:cacheprovider -m "$markers" "$@"
