#!/usr/bin/env bash
# Installs what the browser tests need when it is missing: Debian's `chromium` and `chromium-driver`
# (/usr/bin/chromium, /usr/bin/chromedriver) and the Selenium client of requirements/browser.txt
# into .venv. deploy/test.sh (so `make test` and CI) runs it before pytest, like the Prometheus one.
#   bash deploy/browser/install.sh
# Idempotent and quiet: with everything there it does nothing and prints nothing. Nothing here, nor
# in the tests, downloads a browser build: the browser is the distribution's package.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "deploy/browser/install.sh: no apt-get here; install chromium and chromedriver yourself" >&2
    [[ -n "${CI:-}" ]] && exit 1  # outside CI the browser tests then skip with this reason
  else
    SUDO=()
    if [[ $(id -u) -ne 0 ]]; then
      command -v sudo >/dev/null 2>&1 || { echo "deploy/browser/install.sh: needs root or sudo" >&2; exit 1; }
      SUDO=(sudo)
    fi
    apt_install() {
      "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        chromium chromium-driver >/dev/null
    }
    # a fresh machine may have no package lists yet: update only when the install fails
    if ! apt_install 2>/dev/null; then
      "${SUDO[@]}" apt-get update -qq >/dev/null
      apt_install
    fi
  fi
fi

if ! .venv/bin/python -c "import selenium, sys; sys.exit(selenium.__version__ != '4.51.0')" 2>/dev/null; then
  .venv/bin/pip install --quiet -c requirements/constraints.txt -r requirements/browser.txt
fi
