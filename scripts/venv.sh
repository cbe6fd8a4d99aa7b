#!/usr/bin/env bash
# Creates .venv with the locked dependencies, using uv.
# uv itself lives in .tools/ so that `uv sync` never removes it.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v uv >/dev/null 2>&1; then
  uv=uv
else
  if [ ! -x .tools/bin/uv ]; then
    python3 -m venv .tools
    .tools/bin/pip install --quiet --disable-pip-version-check uv
  fi
  uv=.tools/bin/uv
fi

# .python-version asks for 3.12; uv looks for it on this machine first and
# downloads one only when none is found (set UV_PYTHON_DOWNLOADS=never to forbid).
if ! UV_COMPILE_BYTECODE=1 "$uv" sync --locked "$@"; then
  cat >&2 <<'MSG'

Could not create .venv. The portal needs Python 3.12 or newer:
  - Debian 12 ships 3.11; Ubuntu 24.04 and Debian 13 have a newer python3.
  - With internet access uv downloads one by itself (UV_PYTHON_DOWNLOADS=automatic).
  - Offline, install Python 3.12 where you can read it and run
    UV_PYTHON=/path/to/python3.12 make run
MSG
  exit 1
fi
