#!/usr/bin/env bash
# The main job: set up (first time only), then run the default comparison study (business as
# usual against the library's main scenarios, 10 seeds, 5,000 households, 10 years) and write
# its report. With arguments, run one scenario instead: ./run.sh scenario=graduation seed=7
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bash "$root/scripts/bootstrap.sh"
cd "$root"
if [ "$#" -gt 0 ]; then
  exec "$root/.venv/bin/empowernet" run "$@"
fi
"$root/.venv/bin/empowernet" run -m +experiment=main_comparison
exec "$root/.venv/bin/empowernet" report outputs/main_comparison
