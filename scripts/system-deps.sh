#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the portal needs, when run as root.
# As an ordinary user it prints the exact command to run and stops.
# Usage: scripts/system-deps.sh [run|test]
set -euo pipefail

purpose=${1:-run}
# PostgreSQL server; Pango and HarfBuzz's subsetter for WeasyPrint's PDFs;
# DejaVu fonts, which carry every Kyrgyz letter; gettext for the catalogues;
# python3-venv to bootstrap uv.
packages=(postgresql libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext python3-venv)
if [ "$purpose" = test ]; then
  # Debian's Chromium drives the browser tests; Playwright cannot download its own here.
  packages+=(chromium poppler-utils)
fi

installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
# Any PostgreSQL major version will do: the scripts look up its binaries.
if [[ " ${missing[*]} " == *" postgresql "* ]] && compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  missing=("${missing[@]/postgresql}")
  read -r -a missing <<<"${missing[*]}"
fi

# The page checkers (axe-core, the Nu Html Checker) come from the npm registry
# and run on Java: any Node with npm and any Java 11+ will do.
if [ "$purpose" = test ]; then
  command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
  command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "This script knows Debian and Ubuntu only; install their equivalents by hand." >&2
  exit 1
fi

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Run this as root, then try again:" >&2
  echo "  sudo sh -c '$cmd'" >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
sh -c "$cmd"
