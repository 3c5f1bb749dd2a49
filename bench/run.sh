#!/usr/bin/env bash
# Benchmark: keagitops validate+render (both servers) against Kea's own config check of ONE rendered
# file, on deterministic synthetic inventories, printed side by side with peak memory.
#   bench/run.sh            10,000 and 100,000 reservations, each YAML style
#   bench/run.sh --full     also 1,000,000 (linearity: should be within 12x of 100,000)
#   bench/run.sh --deploy   only the deploy figures (bench/deploy.sh against the SSH test lab)
# After the render figures, bench/deploy.sh measures a no-op and a reservation-only deploy of the lab's
# two servers beside `ssh HOST true` (as root, with the Kea 3.0 root present; DEPLOY=0 skips it).
# STYLES (default "flow-double flow-single block") are the generator's ways of writing the reservation
# files: one flow mapping a line with double-quoted MACs (import's style), PyYAML's flow dump (single
# quotes), block mappings (PyYAML's default dump, yq, people). FULL_STYLES (default flow-double) are the
# styles run at 1,000,000. Every style renders the same Kea config (checked: only the inventory digest
# differs), so Kea checks one rendering per size and its figures stand on each style's row.
# Kea 2.2 is Debian 12's (host); Kea 3.0 runs in the root built by scripts/make-kea3-root.sh. Each
# figure is the best of RUNS rounds (default 3). Kea's check runs in a private network namespace with an
# eth0 (Kea refuses configs naming interfaces it cannot see); nothing leaves the namespace.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-3}
sizes=(10000 100000)
[ "${1:-}" = "--full" ] && sizes+=(1000000)
[ "${1:-}" = "--deploy" ] && sizes=()
read -r -a styles <<<"${STYLES:-flow-double flow-single block}"
read -r -a full_styles <<<"${FULL_STYLES:-flow-double}"
kea3_root=${KEA3_ROOT:-/var/cache/keagitops/kea3-root}
work=$(mktemp -d /tmp/keagitops-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

# KEAGITOPS_BIN runs an already published keagitops instead of publishing this tree (for A/B runs).
if [ -n "${KEAGITOPS_BIN:-}" ]; then
  keagitops=$KEAGITOPS_BIN
else
  echo "building (Release, as shipped: the self-contained single file, ReadyToRun, a few minutes)..."
  # Published from a copy of the sources: a linux-x64 publish would add a RID section to the lock files.
  # As shipped (README "Install"): self-contained, so the runtime is compiled ahead of time together with
  # keagitops (one composite image); the framework-dependent build left its generic instantiations to the JIT.
  mkdir -p "$work/src" && cp -r src schemas templates Directory.Build.props global.json "$work/src/"
  rm -rf "$work"/src/src/*/bin "$work"/src/src/*/obj
  dotnet publish "$work/src/src/KeaGitOps.Cli" -c Release -r linux-x64 -o "$work/bin" -v q --nologo >/dev/null
  keagitops="$work/bin/keagitops"
fi
dotnet build bench/KeaGitOps.Bench -c Release -v q --nologo >/dev/null
generate=bench/KeaGitOps.Bench/bin/Release/net10.0/generate-inventory

# once KEY CMD...: runs CMD once and keeps in best[KEY] the fastest "SECONDS PEAK_KB" seen; fails if CMD fails.
# Every figure of one size is measured in the same rounds (Kea, then each style, RUNS times over), so a
# drift of the machine's speed between minutes hits all columns alike; each figure is its best round.
declare -A best
once() {
  local key=$1 line
  shift
  /usr/bin/time -o "$work/time" -f "%e %M" "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr" >&2; return 1; }
  line=$(tail -n1 "$work/time")
  if [ -z "${best[$key]:-}" ] || awk -v a="${line%% *}" -v b="${best[$key]%% *}" 'BEGIN{exit !(a<b)}'; then best[$key]=$line; fi
}
seconds() { awk -v s="${best[$1]%% *}" 'BEGIN{printf "%.2f", s}'; }
peak_mb() { awk -v k="${best[$1]##* }" 'BEGIN{printf "%.0f", k/1024}'; }

kea_check() { # KEY VERSION FILE
  local script="ip link set lo up && ip link add eth0 type veth peer name kgo-peer0 && "
  if [ "$2" = "3.0" ]; then
    mkdir -p "$kea3_root/tmp/bench" && cp "$3" "$kea3_root/tmp/bench/kea-dhcp4.conf"
    once "$1" unshare --net sh -c "$script chroot $kea3_root /usr/sbin/kea-dhcp4 -t /tmp/bench/kea-dhcp4.conf"
  else
    once "$1" unshare --net sh -c "$script /usr/sbin/kea-dhcp4 -t $3"
  fi
}

row='%-13s %-12s %-10s %-22s %-10s %-16s %-16s %s\n'
printf "\n$row" reservations style validate "validate+render both" "peak MB" "kea-dhcp4 -t 2.2" "kea-dhcp4 -t 3.0" "keagitops / kea 3.0"
declare -A render_seconds
have_kea3=$([ -x "$kea3_root/usr/sbin/kea-dhcp4" ] && echo yes || echo no)
for n in "${sizes[@]}"; do
  subnets=$(( n / 100 < 1000 ? n / 100 : 1000 ))
  run_styles=("${styles[@]}")
  [ "$n" -ge 1000000 ] && run_styles=("${full_styles[@]}")
  "$generate" "$work/inv-$n-2.2" "$subnets" $(( n / subnets )) 2.2 >/dev/null
  "$keagitops" render -i "$work/inv-$n-2.2" -o "$work/out-$n-2.2" >/dev/null
  for style in "${run_styles[@]}"; do
    "$generate" "$work/inv-$n-3.0-$style" "$subnets" $(( n / subnets )) 3.0 "$style" >/dev/null
  done

  best=()
  for _ in $(seq "$runs"); do
    kea_check k22 2.2 "$work/out-$n-2.2/kea-dhcp-1/kea-dhcp4.conf"
    for style in "${run_styles[@]}"; do
      inv="$work/inv-$n-3.0-$style" out="$work/out-$n-3.0-$style"
      once "validate-$style" "$keagitops" validate -i "$inv"
      once "render-$style" "$keagitops" render -i "$inv" -o "$out"
      first="$work/out-$n-3.0-${run_styles[0]}/kea-dhcp-1/kea-dhcp4.conf"
      if ! cmp -s <(grep -v '"inventory-digest"' "$first") <(grep -v '"inventory-digest"' "$out/kea-dhcp-1/kea-dhcp4.conf"); then
        echo "style $style renders a different config than ${run_styles[0]}" >&2
        exit 1
      fi
    done
    if [ "$have_kea3" = yes ]; then
      kea_check k30 3.0 "$work/out-$n-3.0-${run_styles[0]}/kea-dhcp-1/kea-dhcp4.conf"
    fi
  done

  k30=$([ "$have_kea3" = yes ] && seconds k30 || echo n/a)
  for style in "${run_styles[@]}"; do
    rs=$(seconds "render-$style")
    ratio=$([ "$k30" = "n/a" ] && echo n/a || awk -v a="$rs" -v b="$k30" 'BEGIN{printf "%.2fx", a/b}')
    render_seconds[$n-$style]=$rs
    printf "$row" "$n" "$style" "$(seconds "validate-$style")s" "${rs}s" "$(peak_mb "render-$style")" "$(seconds k22)s" "${k30}s" "$ratio"
  done
  rm -rf "$work/inv-$n-"* "$work/out-$n-"*
done

for style in "${full_styles[@]}"; do
  if [ -n "${render_seconds[1000000-$style]:-}" ] && [ -n "${render_seconds[100000-$style]:-}" ]; then
    awk -v a="${render_seconds[1000000-$style]}" -v b="${render_seconds[100000-$style]}" -v s="$style" \
      'BEGIN{printf "\ngrowth 100,000 -> 1,000,000 reservations (%s): %.1fx (target: within 12x)\n", s, a/b}'
  fi
done
echo
echo "targets (DESIGN.md): at 100,000, validate+render both < kea-dhcp4 -t of one file, peak < 1024 MB, in every style"

if [ "${DEPLOY:-1}" != 0 ]; then
  if [ "$(id -u)" -eq 0 ] && [ "$have_kea3" = yes ]; then
    bench/deploy.sh "$keagitops"
  else
    echo "deploy figures skipped: bench/deploy.sh needs root and the Kea 3.0 root (scripts/make-kea3-root.sh) for the lab"
  fi
fi
