#!/usr/bin/env bash
# Installs Debian's `prometheus` package (it brings `promtool`) when either binary is missing.
#   bash deploy/prometheus/install.sh
# deploy/test.sh (and so `make test` and CI) runs it before pytest: the tests start their own
# Prometheus servers on free loopback ports and run promtool on deploy/prometheus/.
# Idempotent and quiet: when both binaries are there it does nothing and prints nothing.
# It never leaves the Debian service running: the package's postinst may start it on machines
# with a service manager, and a server on :9090 is not wanted (nor needed) by the tests.
set -euo pipefail

if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "deploy/prometheus/install.sh: no apt-get here; install prometheus and promtool yourself" >&2
  # Outside CI the Prometheus tests then skip with this reason; in CI they must run.
  [[ -n "${CI:-}" ]] && exit 1
  exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null 2>&1 || { echo "deploy/prometheus/install.sh: needs root or sudo" >&2; exit 1; }
  SUDO=(sudo)
fi

# Keep the package's postinst from starting the service: invoke-rc.d and deb-systemd-invoke ask
# /usr/sbin/policy-rc.d, and exit status 101 means "action forbidden". An existing policy (Docker
# images ship one) is left alone; ours is removed again on exit.
POLICY=/usr/sbin/policy-rc.d
if [[ ! -e $POLICY ]]; then
  "${SUDO[@]}" sh -c "printf '#!/bin/sh\nexit 101\n' > $POLICY && chmod 755 $POLICY"
  trap '"${SUDO[@]}" rm -f "$POLICY"' EXIT
fi

export DEBIAN_FRONTEND=noninteractive
apt_install() {
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold prometheus >/dev/null
}
# A fresh machine may have no package lists yet (or stale ones): update only when the install fails.
if ! apt_install 2>/dev/null; then
  "${SUDO[@]}" apt-get update -qq >/dev/null
  apt_install
fi

# Belt and braces: if a service manager started it anyway, stop it (only the one we just installed).
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
  "${SUDO[@]}" systemctl stop prometheus || true
fi
if [[ -x /etc/init.d/prometheus ]] && /etc/init.d/prometheus status >/dev/null 2>&1; then
  "${SUDO[@]}" /etc/init.d/prometheus stop >/dev/null 2>&1 || true
fi

command -v prometheus >/dev/null && command -v promtool >/dev/null || {
  echo "deploy/prometheus/install.sh: prometheus or promtool still missing after the install" >&2; exit 1; }
