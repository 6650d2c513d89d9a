#!/usr/bin/env bash
# Installs the pinned Node.js (tooling/node-runtime.txt) into .tools/node when the machine's `node`
# is older than its major, as tooling/provision-temporal.sh installs the Temporal binaries: the
# registry's `node-linux-<arch>` package is the official release binary; npm is used only to fetch
# its tarball, which must match the pinned integrity. Idempotent: a matching install is left alone,
# and a machine whose node is already recent enough gets nothing. Prints the directory to put first
# on PATH (nothing when the machine's node will do); tooling/node-env.sh does that.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
pins="$root/tooling/node-runtime.txt"
dest="$root/.tools/node"
stamp="$dest/.pins-sha256"

case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "provision-node: no pinned Node.js for $(uname -s) $(uname -m) in tooling/node-runtime.txt" >&2; exit 1 ;;
esac
read -r spec integrity < <(grep -E "^node-linux-$arch@" "$pins")
version="${spec##*@}"
major="${version%%.*}"

# The machine's node: the first on PATH once our own install is taken out of it.
machine_path="$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$dest/bin" | paste -sd: -)"
machine_node="$(PATH="$machine_path" command -v node || true)"
machine_version="$([[ -n "$machine_node" ]] && "$machine_node" --version 2>/dev/null || echo none)"
machine_major="$(sed -E 's/^v([0-9]+).*/\1/' <<<"$machine_version")"
if [[ "$machine_major" =~ ^[0-9]+$ ]] && ((machine_major >= major)); then
  exit 0
fi
want="$(sha256sum "$pins" | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" && -x "$dest/bin/node" ]]; then
  echo "$dest/bin"
  exit 0
fi
# Progress goes to stderr: stdout is the answer. The download runs on the machine's node and npm.
exec 3>&1 1>&2
export PATH="$machine_path"

command -v npm >/dev/null 2>&1 || {
  echo "provision-node: npm is needed to fetch Node.js $version from the npm registry" >&2
  exit 1
}
echo "provision-node: installing Node.js $version ($spec) into .tools/node (the machine's node is $machine_version)"
download="$(mktemp -d)"
trap 'rm -rf "$download"' EXIT
tarball="$(cd "$download" && npm pack --silent "$spec")"
tarball="$download/$tarball"
# Computed here, not taken from npm's word: the file on disk is what gets installed.
actual="$(node -e 'const d = require("node:crypto").createHash("sha512");
  d.update(require("node:fs").readFileSync(process.argv[1])); console.log(`sha512-${d.digest("base64")}`);' "$tarball")"
if [[ "$actual" != "$integrity" ]]; then
  echo "provision-node: $spec does not match its pinned integrity ($actual)" >&2
  exit 1
fi

rm -rf "$dest.partial"
mkdir -p "$dest.partial"
tar -xzf "$tarball" -C "$dest.partial" --strip-components=1 package/bin/node package/LICENSE
installed="$("$dest.partial/bin/node" --version)"
[[ "$installed" == "v$version" ]] || { echo "provision-node: unexpected version: $installed" >&2; exit 1; }

rm -rf "$dest"
mv "$dest.partial" "$dest"
echo "$want" > "$stamp"
echo "provision-node: Node.js $installed ready"
echo "$dest/bin" >&3
