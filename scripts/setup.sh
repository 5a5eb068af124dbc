#!/usr/bin/env bash
# Creates .venv with Balises and, with `--test`, everything the test suite needs: the Debian
# packages of the real parts (Chromium, zbar, poppler, the PostgreSQL client, nginx in front of
# the fault tests' servers, strace for the power-cut test, openssl for nginx's test certificate)
# and htmx from the npm registry (for the tests, and the copy BALISES_HTMX_URL=self serves).
# Both ways, the map library (Leaflet, protomaps-leaflet) comes from the npm registry too,
# pinned by integrity, into web/static/vendor/ (self-hosted).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true

if [ "${1:-}" = "--test" ]; then
    missing=()
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    ldconfig -p | grep libzbar.so >/dev/null || missing+=(libzbar0)
    command -v pdftoppm >/dev/null || missing+=(poppler-utils)
    command -v ss >/dev/null || missing+=(iproute2)
    [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
    # pg_dump/pg_restore: the README's PostgreSQL restore procedure is run by a test
    command -v pg_restore >/dev/null || missing+=(postgresql-client)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
    command -v strace >/dev/null || missing+=(strace)
    command -v openssl >/dev/null || missing+=(openssl)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "setup: installing Debian packages: ${missing[*]}"
        sudo=""
        [ "$(id -u)" = 0 ] || sudo="sudo"
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    .venv/bin/python -m pip install -q -e '.[test]'
    .venv/bin/python tests/vendor/fetch_htmx.py
    .venv/bin/python tools/fetch_map_assets.py >/dev/null
else
    .venv/bin/python -m pip install -q -e .
    .venv/bin/python tools/fetch_map_assets.py >/dev/null \
        || echo "setup: no map library (npm missing?): the map page draws its plan instead"
fi
# The copy of htmx the site serves itself with BALISES_HTMX_URL=self (the same file as the CDN's,
# its SRI checked), packaged with web/static. Without npm the default (the CDN) still works, and
# BALISES_HTMX_URL=self refuses to start and says so; the tests need it.
if [ "${1:-}" = "--test" ]; then
    .venv/bin/python tests/vendor/fetch_htmx.py web/static/vendor/htmx.min.js
elif ! .venv/bin/python tests/vendor/fetch_htmx.py web/static/vendor/htmx.min.js; then
    echo "setup: htmx not fetched (is npm installed?): BALISES_HTMX_URL=self will refuse to start"
fi
