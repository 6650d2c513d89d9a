# Sourced (`source tooling/node-env.sh`) by the scripts that run Node: makes `node`, and every tool
# started through it (npm, npx, tsc, jest, tsx and the processes they spawn with process.execPath), the
# pinned Node.js that tooling/provision-node.sh installs when the machine's is older.
_node_env_bin="$(bash "$(dirname "${BASH_SOURCE[0]}")/provision-node.sh")" || {
  echo "node-env: no Node.js to run on (tooling/provision-node.sh failed)" >&2
  exit 1
}
if [[ -n "$_node_env_bin" && ":$PATH:" != *":$_node_env_bin:"* ]]; then
  export PATH="$_node_env_bin:$PATH"
fi
unset _node_env_bin
