#!/usr/bin/env bash
# Checks that the Debian packages of the given groups (debian-packages.txt) are installed.
# Run as root (CI, containers), it installs the missing ones; otherwise it stops and prints the
# command that installs them. `scripts/system-packages.sh run test`; `--list` prints the names.
# SYSTEM_PACKAGES_NO_INSTALL=1 only checks, even as root.
set -euo pipefail
cd "$(dirname "$0")/.."
LIST="${SYSTEM_PACKAGES_FILE:-debian-packages.txt}"

print_only=0
if [ "${1:-}" = "--list" ]; then
  print_only=1
  shift
fi
[ $# -gt 0 ] || { echo "usage: $0 [--list] run|test|ci ..." >&2; exit 2; }

wanted=()
while read -r package group _; do
  case "$package" in ''|'#'*) continue ;; esac
  for asked in "$@"; do
    [ "$group" = "$asked" ] && wanted+=("$package")
  done
done < "$LIST"

if [ "$print_only" = 1 ]; then
  echo "${wanted[*]}"
  exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "Not a Debian system: make sure these (or your system's equivalents) are installed:" >&2
  echo "  ${wanted[*]}" >&2
  exit 0
fi

missing=()
for package in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" = 0 ] && [ "${SYSTEM_PACKAGES_NO_INSTALL:-0}" != 1 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  $command -qq
  exit 0
fi
{
  echo "Missing Debian packages: ${missing[*]}"
  echo "Install them with:"
  echo "  sudo apt-get update && sudo $command"
} >&2
exit 1
