#!/usr/bin/env bash
# Step of action.yml: installs cislint from the action's own checkout into $CISLINT_ROOT
# (a directory the workflow caches, keyed on the action's ref) and puts it on the PATH.
set -euo pipefail
root="${CISLINT_ROOT:?CISLINT_ROOT must name the install directory}"
if [[ ! -x "$root/bin/cislint" ]]; then
  cargo install --locked --path "${GITHUB_ACTION_PATH:?}" --root "$root"
fi
echo "$root/bin" >> "${GITHUB_PATH:?}"
