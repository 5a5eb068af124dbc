#!/usr/bin/env bash
# Sets up Balises and runs the site on campaigns.example.yaml with SQLite under ./var/.
# Extra arguments go to `balises serve` (e.g. --port 8080, --campaigns my-campaigns/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/balises serve "$@"
