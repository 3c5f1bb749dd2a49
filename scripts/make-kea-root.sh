#!/usr/bin/env bash
# Builds (once) a Debian root holding one Kea version, for the tests that check renders with that
# version's own binaries, plus what the SSH test lab (tests/lab/lab.sh) runs inside it: openssh-server,
# iproute2 and procps. The host's packages are never touched: everything lands inside the root folder.
# A root built by an older version of this script (other marker content) gets the missing packages
# installed into it with `chroot ROOT apt-get install`, again never on the host.
# Usage: scripts/make-kea-root.sh KEA_VERSION [DIR]
#   3.0  Debian testing ("forky"), default DIR $KEA3_ROOT or /var/cache/keagitops/kea3-root
#   2.6  Debian 13 ("trixie"),     default DIR $KEA26_ROOT or /var/cache/keagitops/kea26-root
set -euo pipefail

# One row per Kea version: the Debian suite shipping it, the debootstrap script that knows the suite
# (Debian 12's debootstrap has no script named "forky"; testing is bootstrapped like sid), the
# default folder. The built root's kea-dhcp4 must report the version, or the root is refused.
kea_version=${1:-}
case "$kea_version" in
  3.0) suite=forky;  suite_script=sid;    root=${2:-${KEA3_ROOT:-/var/cache/keagitops/kea3-root}} ;;
  2.6) suite=trixie; suite_script=trixie; root=${2:-${KEA26_ROOT:-/var/cache/keagitops/kea26-root}} ;;
  *) echo "usage: $0 3.0|2.6 [DIR] (the Kea version the root holds)" >&2; exit 2 ;;
esac
name="kea $kea_version root"
marker="$root/.keagitops-complete"
# Bump root_layout when the root's contents change, so older cached roots are upgraded in place.
root_layout="root-layout 2 (lab: openssh-server iproute2 procps)"
lab_packages=(openssh-server iproute2 procps)

# The folders Kea's packaging creates at boot (systemd-tmpfiles), which a chroot never boots into.
lay_out_runtime_folders() {
  chroot "$1" sh -c 'for d in /var/lib/kea /var/log/kea /run/kea; do mkdir -p "$d"; chown _kea:_kea "$d"; chmod 0750 "$d"; done'
}

# Installs packages into the root (never the host): a private mount namespace holds the root's /proc,
# and policy-rc.d keeps the packages from starting services. The mirror's testing Release file may be
# past its Valid-Until (a frozen mirror, or this machine's clock): debootstrap ignores that, so does this.
install_into_root() {
  local dir=$1; shift
  cp -L /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
  printf '#!/bin/sh\nexit 101\n' > "$dir/usr/sbin/policy-rc.d" && chmod +x "$dir/usr/sbin/policy-rc.d"
  local status=0
  unshare --mount --propagation private sh -c '
      mount -t proc proc "$1/proc" && shift && root=$1 && shift &&
      chroot "$root" apt-get -o Acquire::Check-Valid-Until=false update -qq &&
      DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends "$@"' \
    sh "$dir" "$dir" "$@" >>"$root.log" 2>&1 || status=$?
  rm -f "$dir/usr/sbin/policy-rc.d"
  [ $status -eq 0 ] || { echo "installing $* into $dir failed; last lines of $root.log:" >&2; tail -n 20 "$root.log" >&2; exit 1; }
}

# What the lab's servers need that the Debian packages leave to systemd or to first boot.
lay_out_lab_files() {
  mkdir -p "$1/etc/ssh/lab" "$1/root/.ssh" "$1/run/sshd" "$1/run/lock"
  chmod 0700 "$1/root/.ssh"
  # The host keys the package generated are never used: each lab server brings its own.
  rm -f "$1"/etc/ssh/ssh_host_*_key "$1"/etc/ssh/ssh_host_*_key.pub
}

# A root of another version (a KEA*_ROOT pointing at the wrong one) would prove nothing about this one.
check_version() {
  case "$2" in
    "$kea_version".*) ;;
    *) echo "$name: $1 holds kea-dhcp4 $2, not $kea_version.x" >&2; exit 1 ;;
  esac
}

if [ -f "$marker" ] && [ -x "$root/usr/sbin/kea-dhcp4" ]; then
  check_version "$root" "$(chroot "$root" /usr/sbin/kea-dhcp4 -v)"
  if ! grep -qxF "$root_layout" "$marker"; then
    missing=()
    for p in "${lab_packages[@]}"; do
      chroot "$root" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      echo "$name: installing ${missing[*]} into $root (not on this machine)"
      install_into_root "$root" "${missing[@]}"
    fi
    lay_out_lab_files "$root"
    printf 'kea-dhcp4 %s\n%s\n' "$(chroot "$root" /usr/sbin/kea-dhcp4 -v)" "$root_layout" > "$marker"
  fi
  lay_out_runtime_folders "$root"
  echo "$name: reusing $root ($(paste -sd ';' "$marker"))"
  exit 0
fi

command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install debootstrap" >&2; exit 1; }

mirror=$(grep -rhoE '^URIs:\s*\S+' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | head -n1 || true)
[ -n "$mirror" ] || mirror=$(grep -hoE '^deb\s+\S+' /etc/apt/sources.list 2>/dev/null | awk '{print $2}' | head -n1 || true)
[ -n "$mirror" ] || { echo "no Debian mirror found in the host's apt sources" >&2; exit 1; }

rm -rf "$root.partial"
mkdir -p "$(dirname "$root")"
echo "$name: debootstrap $suite from $mirror into $root (a few minutes)"
debootstrap --variant=minbase --include=kea-dhcp4-server,kea-ctrl-agent,"$(IFS=,; echo "${lab_packages[*]}")" \
  "$suite" "$root.partial" "$mirror" "/usr/share/debootstrap/scripts/$suite_script" >"$root.log" 2>&1 \
  || { echo "debootstrap failed; last lines of $root.log:" >&2; tail -n 20 "$root.log" >&2; exit 1; }

lay_out_runtime_folders "$root.partial"
lay_out_lab_files "$root.partial"
version=$(chroot "$root.partial" /usr/sbin/kea-dhcp4 -v)
check_version "$suite ($root.partial)" "$version"
rm -rf "$root"
mv "$root.partial" "$root"
printf 'kea-dhcp4 %s\n%s\n' "$version" "$root_layout" > "$marker"
echo "$name: ready, kea-dhcp4 $version"
