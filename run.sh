#!/usr/bin/env bash
# The main job: set up (first time only), then run the default scenario on the built-in
# synthetic province. Extra arguments are Hydra overrides, e.g. ./run.sh months=36 seed=7
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$root/scripts/bootstrap.sh"
cd "$root"
exec "$root/.venv/bin/empowernet" run "$@"
