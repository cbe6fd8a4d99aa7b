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

# .python-version asks for 3.12; uv looks for it on this machine first.
UV_COMPILE_BYTECODE=1 "$uv" sync --locked "$@"
