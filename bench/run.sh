#!/usr/bin/env bash
# Benchmark: keagitops validate+render (both servers) against Kea's own config check of ONE rendered
# file, on deterministic synthetic inventories, printed side by side with peak memory.
#   bench/run.sh            10,000 and 100,000 reservations
#   bench/run.sh --full     also 1,000,000 (linearity: should be within 12x of 100,000)
# Kea 2.2 is Debian 12's (host); Kea 3.0 runs in the root built by scripts/make-kea3-root.sh. Each
# figure is the best of RUNS runs (default 3). Kea's check runs in a private network namespace with an
# eth0 (Kea refuses configs naming interfaces it cannot see); nothing leaves the namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
sizes=(10000 100000)
[ "${1:-}" = "--full" ] && sizes+=(1000000)
kea3_root=${KEA3_ROOT:-/var/cache/keagitops/kea3-root}
work=$(mktemp -d /tmp/keagitops-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

echo "building (Release, ReadyToRun, as shipped)..."
# Published from a copy of the sources: a linux-x64 publish would add a RID section to the lock files.
mkdir -p "$work/src" && cp -r src schemas templates Directory.Build.props global.json "$work/src/"
rm -rf "$work"/src/src/*/bin "$work"/src/src/*/obj
dotnet publish "$work/src/src/KeaGitOps.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$work/bin" -v q --nologo >/dev/null
dotnet build bench/KeaGitOps.Bench -c Release -v q --nologo >/dev/null
generate=bench/KeaGitOps.Bench/bin/Release/net10.0/generate-inventory
keagitops="$work/bin/keagitops"

# best_of CMD...: prints "SECONDS PEAK_MB" of the fastest of $runs runs; fails if the command fails.
best_of() {
  local best="" line
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; return 1; }
    line=$(tail -n1 "$work/time")
    if [ -z "$best" ] || awk -v a="${line%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best=$line; fi
  done
  awk -v s="${best%% *}" -v k="${best##* }" 'BEGIN{printf "%.2f %.0f", s, k/1024}'
}

kea_check() { # VERSION FILE
  local script="ip link set lo up && ip link add eth0 type veth peer name kgo-peer0 && "
  if [ "$1" = "3.0" ]; then
    mkdir -p "$kea3_root/tmp/bench" && cp "$2" "$kea3_root/tmp/bench/kea-dhcp4.conf"
    best_of unshare --net sh -c "$script chroot $kea3_root /usr/sbin/kea-dhcp4 -t /tmp/bench/kea-dhcp4.conf"
  else
    best_of unshare --net sh -c "$script /usr/sbin/kea-dhcp4 -t $2"
  fi
}

printf '\n%-13s %-10s %-22s %-10s %-16s %-16s %s\n' reservations validate "validate+render both" "peak MB" "kea-dhcp4 -t 2.2" "kea-dhcp4 -t 3.0" "keagitops / kea 3.0"
declare -A render_seconds
for n in "${sizes[@]}"; do
  subnets=$(( n / 100 < 1000 ? n / 100 : 1000 ))
  for v in 3.0 2.2; do "$generate" "$work/inv-$n-$v" "$subnets" $(( n / subnets )) "$v" >/dev/null; done
  read -r vs _ <<<"$(best_of "$keagitops" validate -i "$work/inv-$n-3.0")"
  read -r rs rmb <<<"$(best_of "$keagitops" render -i "$work/inv-$n-3.0" -o "$work/out-$n-3.0")"
  "$keagitops" render -i "$work/inv-$n-2.2" -o "$work/out-$n-2.2" >/dev/null
  read -r k22 _ <<<"$(kea_check 2.2 "$work/out-$n-2.2/kea-dhcp-1/kea-dhcp4.conf")"
  k30="n/a"; ratio="n/a"
  if [ -x "$kea3_root/usr/sbin/kea-dhcp4" ]; then
    read -r k30 _ <<<"$(kea_check 3.0 "$work/out-$n-3.0/kea-dhcp-1/kea-dhcp4.conf")"
    ratio=$(awk -v a="$rs" -v b="$k30" 'BEGIN{printf "%.2fx", a/b}')
  fi
  render_seconds[$n]=$rs
  printf '%-13s %-10s %-22s %-10s %-16s %-16s %s\n' "$n" "${vs}s" "${rs}s" "$rmb" "${k22}s" "${k30}s" "$ratio"
  rm -rf "$work/inv-$n-"* "$work/out-$n-"*
done

if [ -n "${render_seconds[1000000]:-}" ]; then
  awk -v a="${render_seconds[1000000]}" -v b="${render_seconds[100000]}" 'BEGIN{printf "\ngrowth 100,000 -> 1,000,000 reservations: %.1fx (target: within 12x)\n", a/b}'
fi
echo
echo "targets (DESIGN.md): at 100,000, validate+render both < kea-dhcp4 -t of one file, peak < 1024 MB"
