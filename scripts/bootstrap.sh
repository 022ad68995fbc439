#!/usr/bin/env bash
# Set up .venv for empowernet: find Python >= 3.12, install the locked dependencies and the
# project, and (as root with apt-get) Debian's fonts-noto-core for the Persian figures. Does
# nothing when .venv already matches requirements.lock and pyproject.toml.
# Set EMPOWERNET_PYTHON=/path/to/python3.12 to choose the interpreter yourself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv"

is_recent() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

find_python() {
  local cand
  for cand in "${EMPOWERNET_PYTHON:-}" python3.12 python3.13 python3.14 python3 python; do
    [ -n "$cand" ] || continue
    if command -v "$cand" >/dev/null 2>&1 && is_recent "$(command -v "$cand")"; then
      command -v "$cand"; return 0
    fi
  done
  local roots=("$HOME/.pyenv")
  command -v pyenv >/dev/null 2>&1 && roots=("$(pyenv root)" "${roots[@]}")
  for r in "${roots[@]}"; do
    for cand in $(ls -d "$r"/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -V); do
      if is_recent "$cand"; then echo "$cand"; return 0; fi
    done
  done
  for cand in /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    if [ -x "$cand" ] && is_recent "$cand"; then echo "$cand"; return 0; fi
  done
  return 1
}

persian_font() {  # the Persian figures' font: Noto Naskh Arabic, where root can install it
  [ -n "$(fc-list 'Noto Naskh Arabic' 2>/dev/null)$(fc-list Vazirmatn 2>/dev/null)" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 &&
     { apt-get install -y -qq fonts-noto-core >/dev/null 2>&1 ||
       { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq fonts-noto-core >/dev/null 2>&1; }; }; then
    return 0
  fi
  echo "warning: no Persian font installed (needs root and apt-get): figures of --lang fa show boxes; install Debian's fonts-noto-core" >&2
}

stamp="$(cat "$root/requirements.lock" "$root/pyproject.toml" | sha256sum | cut -c1-16)"
if [ -x "$venv/bin/python" ] && [ "$(cat "$venv/.installed" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
if ! python="$(find_python)"; then
  echo "empowernet needs Python 3.12 or newer, and none was found (python3 is $(python3 --version 2>&1))." >&2
  echo "Install one (for example 'pyenv install 3.12', or your system's python3.12 package)," >&2
  echo "or point EMPOWERNET_PYTHON at it, then run this command again." >&2
  exit 2
fi
echo "setting up $venv with $("$python" --version) ($python)" >&2
[ -x "$venv/bin/python" ] && is_recent "$venv/bin/python" || { rm -rf "$venv"; "$python" -m venv "$venv"; }
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/requirements.lock"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps \
  --no-build-isolation -e "$root"
persian_font
echo "$stamp" > "$venv/.installed"
echo "empowernet is set up in $venv" >&2
