# Shared by scripts/run and scripts/test: find Python 3.12+, create .venv, install a lock file (every package pinned,
# with hashes: requirements.txt for the app, requirements-dev.txt for the tests and tools; see requirements.in).
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

python_ok() {  # $1 runs and is Python 3.12 or newer
  "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1
}

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.14 python3.13 python3.12 python3 \
      "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /root/.pyenv/versions/3.1[2-9]*/bin/python3 \
      /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && python_ok "$candidate"; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "Smart Loyalty needs Python 3.12 or newer (Django 6.1). Install one, or set PYTHON=/path/to/python3.12." >&2
  return 1
}

ensure_venv() {  # ensure_venv lock-file
  local requirements="$1" stamp
  if [ ! -x "$VENV/bin/python" ] || ! python_ok "$VENV/bin/python"; then
    local python
    python="$(find_python)"
    say "Creating .venv with $("$python" --version 2>&1) ($python)"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
  fi
  stamp="$VENV/.installed-$(basename "$requirements")"
  local wanted
  wanted="$(cat "$ROOT/requirements.txt" "$ROOT/$requirements" | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    say "Installing $requirements"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --require-hashes -r "$ROOT/$requirements" \
      2> >(grep -v "^WARNING: Location" >&2)
    echo "$wanted" >"$stamp"
  fi
}
