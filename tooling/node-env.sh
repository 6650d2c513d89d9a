# Sourced (`source tooling/node-env.sh`) by the scripts that run Node: makes `node`, and every tool
# started through it (npm, npx, tsc, jest, tsx and the processes they spawn with process.execPath), the
# pinned Node.js when tooling/provision-node.sh had to install it because the machine's is older.
_node_env_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$_node_env_root/tooling/provision-node.sh"
if [[ -x "$_node_env_root/.tools/node/bin/node" && ":$PATH:" != *":$_node_env_root/.tools/node/bin:"* ]]; then
  export PATH="$_node_env_root/.tools/node/bin:$PATH"
fi
unset _node_env_root
