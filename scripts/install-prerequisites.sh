#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian 12 machine (as root), idempotently:
#   - Debian 12's Kea 2.2 (kea-dhcp4-server, kea-ctrl-agent, kea-admin) from apt, and kea-doc for
#     Kea's own example configs (the import round-trip test reads them);
#   - iproute2 and util-linux (namespaces for the config checks), openssh-server, debootstrap;
#   - openssh-client (ssh-keygen makes the keys and hashed known_hosts the SSH tests check against);
#   - python3-prometheus-client (the Prometheus project's parser reads status --format prometheus back);
#   - a Debian 13 ("trixie") root with Kea 2.6 and a Debian testing ("forky") root with Kea 3.0
#     (scripts/make-kea-root.sh), never installed on the host.
# A package that cannot be installed is an error: the tests never skip a missing prerequisite.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

packages=(kea-dhcp4-server kea-ctrl-agent kea-admin kea-doc debootstrap openssh-server openssh-client iproute2 util-linux time python3-prometheus-client)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "prerequisites: installing ${missing[*]}"
  apt-get update -qq
  # policy-rc.d keeps the packages from starting Kea or sshd services on this machine.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Images that drop /usr/share/doc (dpkg path-exclude) would install kea-doc without its examples.
[ -f /usr/share/doc/kea/examples/kea4/single-subnet.json ] || {
  echo "kea-doc is installed but /usr/share/doc/kea/examples is missing (is /usr/share/doc excluded by dpkg?)" >&2; exit 1; }

"$here/make-kea-root.sh" 2.6
"$here/make-kea-root.sh" 3.0
command -v dotnet >/dev/null || { echo "the .NET SDK (dotnet) is required" >&2; exit 1; }
