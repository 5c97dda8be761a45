#!/usr/bin/env bash
# Tauri's bundler writes the .deb's data with gzip and has no setting for it (its .rpm has one).
# xz -9 makes the package about 45% smaller; dpkg has read xz packages since Debian 6.
# Usage: repack-xz.sh PACKAGE.deb   (replaced in place)
set -euo pipefail
deb=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -R "$deb" "$work/root"
dpkg-deb -Zxz -z9 --root-owner-group --build "$work/root" "$work/repacked.deb" >/dev/null
mv "$work/repacked.deb" "$deb"
