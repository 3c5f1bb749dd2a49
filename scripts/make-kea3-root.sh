#!/usr/bin/env bash
# Builds (once) a Debian testing ("forky") root holding Kea 3.0.x, for tests that need the user's
# Kea version. The host's packages are never touched: everything lands inside the root folder.
# Usage: scripts/make-kea3-root.sh [DIR]   (default: $KEA3_ROOT or /var/cache/keagitops/kea3-root)
set -euo pipefail

root=${1:-${KEA3_ROOT:-/var/cache/keagitops/kea3-root}}
marker="$root/.keagitops-complete"

# The folders Kea's packaging creates at boot (systemd-tmpfiles), which a chroot never boots into.
lay_out_runtime_folders() {
  chroot "$1" sh -c 'for d in /var/lib/kea /var/log/kea /run/kea; do mkdir -p "$d"; chown _kea:_kea "$d"; chmod 0750 "$d"; done'
}

if [ -f "$marker" ] && [ -x "$root/usr/sbin/kea-dhcp4" ]; then
  lay_out_runtime_folders "$root"
  echo "kea3 root: reusing $root ($(cat "$marker"))"
  exit 0
fi

command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }

# Debian 12's debootstrap has no script named "forky"; testing is bootstrapped like sid.
mirror=$(grep -rhoE '^URIs:\s*\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
[ -n "$mirror" ] || mirror=$(grep -hoE '^deb\s+\S+' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n1 || true)
[ -n "$mirror" ] || { echo "no Debian mirror found in the host's apt sources" >&2; exit 1; }

rm -rf "$root.partial"
mkdir -p "$(dirname "$root")"
echo "kea3 root: debootstrap forky from $mirror into $root (a minute or two)"
debootstrap --variant=minbase --include=kea-dhcp4-server,kea-ctrl-agent \
  forky "$root.partial" "$mirror" /usr/share/debootstrap/scripts/sid >"$root.log" 2>&1 \
  || { echo "debootstrap failed; last lines of $root.log:" >&2; tail -n 20 "$root.log" >&2; exit 1; }

lay_out_runtime_folders "$root.partial"
version=$(chroot "$root.partial" /usr/sbin/kea-dhcp4 -v)
rm -rf "$root"
mv "$root.partial" "$root"
echo "kea-dhcp4 $version" > "$marker"
echo "kea3 root: ready, kea-dhcp4 $version"
