#!/usr/bin/env bash
# The browser the web tests drive: Debian's Chromium at /usr/bin/chromium (CHROMIUM_PATH overrides),
# through the pinned playwright-core, whose own browser download cannot work offline. Installed from
# Debian's archive when missing and we are root, as provisioning does for Temporal's binaries;
# otherwise say how to install it.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [[ -x "$browser" ]]; then
  exit 0
fi
if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1 && [[ -z "${CHROMIUM_PATH:-}" ]]; then
  echo "ensure-browser: installing Debian's chromium (apt-get install chromium)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  exit 0
fi
echo "ensure-browser: no Chromium at $browser. The web tests need one: run as root" >&2
echo "  apt-get update && apt-get install -y chromium" >&2
echo "or point CHROMIUM_PATH at a Chromium/Chrome binary." >&2
exit 1
