#!/usr/bin/env bash
# Installs a .deb of OSS Lite with apt, checks what it put on the machine (the app and osslite-cli
# on the PATH, the desktop entry, the icons), runs the INSTALLED app through the real-window
# harness (installed-app.test.mjs), then removes the package and checks that none of its files is
# left, while the user's data is.
#   tests/package/install-test.sh PATH/TO/osslite.deb
# Needs root or sudo, tauri-driver (TAURI_DRIVER) and the e2e harness's packages (make deps-run deps-test).
set -euo pipefail
deb=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
sudo=$([ "$(id -u)" = 0 ] || echo sudo)
package=$(dpkg-deb --field "$deb" Package)
version=$(dpkg-deb --field "$deb" Version)
fail() { echo "install-test: $*" >&2; exit 1; }

echo "Installing $package $version from $deb"
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "$deb" >/dev/null
installed=$(mktemp)
trap 'rm -f "$installed"' EXIT
dpkg -L "$package" | while read -r path; do [ -d "$path" ] || echo "$path"; done >"$installed"

for path in /usr/bin/osslite /usr/bin/osslite-cli; do
  grep -qx "$path" "$installed" || fail "$package does not install $path"
done
desktop=$(grep -E '^/usr/share/applications/.+\.desktop$' "$installed") || fail "no desktop entry"
grep -q '^Exec=osslite' "$desktop" || fail "$desktop does not start osslite"
for size in 16x16 32x32 48x48 128x128 256x256 512x512; do
  grep -q "^/usr/share/icons/hicolor/$size/apps/" "$installed" || fail "no $size icon"
done
[ "$(command -v osslite-cli)" = /usr/bin/osslite-cli ] || fail "osslite-cli is not on the PATH"
cli_version=$(osslite-cli --version)
[[ "$cli_version" == *" $version" ]] || fail "osslite-cli --version says '$cli_version', the package is $version"
echo "Installed: $(wc -l <"$installed") files; $cli_version"

# The installed app in the real window (support.mjs gives it scratch XDG homes).
(
  cd "$repo/tests/e2e"
  [ -d node_modules ] || npm ci --no-audit --no-fund
  OSSLITE_APP=/usr/bin/osslite ./desktop-session.sh timeout --kill-after=10 180 \
    node --test --test-timeout=120000 "$here/installed-app.test.mjs"
)
# User data lives in the XDG homes, which dpkg never touches; a file there must survive the purge.
user_data="${XDG_DATA_HOME:-$HOME/.local/share}/osslite"
mkdir -p "$user_data"
marker="$user_data/.install-test-$$"
touch "$marker"

echo "Removing $package"
DEBIAN_FRONTEND=noninteractive $sudo apt-get purge -y -qq "$package" >/dev/null
dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed' && fail "$package is still installed"
left=$(while read -r path; do [ -e "$path" ] && echo "$path"; done <"$installed" || true)
[ -z "$left" ] || fail "files left after removing $package: $left"
[ -f "$marker" ] || fail "the user's data in $user_data went with the package"
rm -f "$marker"
echo "install-test: installed, ran and removed $package $version cleanly"
