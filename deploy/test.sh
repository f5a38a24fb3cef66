#!/usr/bin/env bash
# The README's test command (make test; .ci/run calls it): every test, unit and integration.
# Integration tests start their own Kafka broker (deploy/kafka) on free loopback ports.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -x deploy/prometheus/install.sh ]]; then bash deploy/prometheus/install.sh; fi
if [[ -x deploy/browser/install.sh ]]; then bash deploy/browser/install.sh; fi
.venv/bin/python -m schemas.export --check
exec .venv/bin/pytest -ra "$@"
