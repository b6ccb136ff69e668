#!/bin/sh
# What the browser tests need, from Debian's packages (never a downloaded build):
# headless Chromium, and npm to install axe-core (tests/browser/package-lock.json).
set -eu
PACKAGES=
command -v chromium >/dev/null 2>&1 || PACKAGES="chromium fonts-dejavu-core"
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"
if [ -z "$PACKAGES" ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  SUDO=sudo
else
  SUDO=
fi
echo "Installing Debian's$PACKAGES for the browser tests..." >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $PACKAGES >/dev/null
