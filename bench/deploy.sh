#!/usr/bin/env bash
# Deploy benchmark against the SSH test lab (tests/lab/lab.sh: two Kea 3.0 servers in HA, each with its
# own sshd): end-to-end wall clock of a no-op `keagitops deploy` (both servers, nothing to change) and a
# reservation-only deploy (one reservation changed, applied at runtime) and a subnet-settings deploy (the lab
# subnet's valid-lifetime changed, applied at runtime by subnet4-update), beside the floor of any tool
# that logs in to both servers: `ssh host true` to each, one after the other; and a full deploy (a timer
# changed: each server restarted in turn, its clients handed over) beside the floor of any restart:
# restarting each server by hand over ssh, one after the other, each time waiting until both are back in
# load-balancing (polled every 0.2 s). FULL=0 skips the full deploy and its floor. Run as root; the lab
# is shared, so everything runs under flock /tmp/kgo-lab.lock and the lab is taken down afterwards.
#   bench/deploy.sh KEAGITOPS [OTHER]   KEAGITOPS is a published keagitops (bench/run.sh passes its own);
#                                      OTHER, another build measured in the same rounds (an A/B comparison)
# Each figure is the best of RUNS rounds (default 5) and the median beside it. Every figure is measured
# in each round, interleaved, so a machine busy with something else for a while hits all columns alike.
# TIMINGS=1 also prints each keagitops run's phases (KEAGITOPS_TIMINGS=1: where the time goes).
set -euo pipefail
cd "$(dirname "$0")/.."
keagitops=${1:?usage: bench/deploy.sh KEAGITOPS [OTHER]}
other=${2:-}
runs=${RUNS:-5}
lab=tests/lab/lab.sh
LAB_DIR=${LAB_DIR:-/tmp/keagitops-lab}
export LAB_DIR
exec 9>/tmp/kgo-lab.lock
flock 9
trap 'bash "$lab" down >/dev/null 2>&1 || true' EXIT
bash "$lab" up >/dev/null

# The example inventory lab.sh writes, with the lab's own subnet (the seed's id 1 and pool halves, so a
# deploy from the seed moves no lease between subnets) and faster heartbeats, as the lab tests use.
inv=$LAB_DIR/inventory
sed -i -e 's/heartbeat-delay: 10000/heartbeat-delay: 1000/' -e 's/max-response-delay: 60000/max-response-delay: 6000/' \
  -e 's|^  - id: 1$|  - id: 3|' "$inv/site.yaml"
python3 - "$inv/site.yaml" <<'PY'
import sys
path = sys.argv[1]
text = open(path).read()
lab = """    reservations-from: reservations/
  - id: 1
    subnet: 198.51.100.0/24
    valid-lifetime: 90000
    pools:
      - 198.51.100.10 - 198.51.100.129
    reservations:
      - { hw-address: "02:00:00:00:99:01", ip-address: 198.51.100.201, hostname: lab-fixed-1 }
"""
assert text.count("    reservations-from: reservations/\n") == 1
open(path, "w").write(text.replace("    reservations-from: reservations/\n", lab))
PY
# A git checkout, as a deploy runs from one (deploy reads its revision and records what each server runs).
git -C "$inv" init -q && git -C "$inv" add -A && git -C "$inv" -c user.name=bench -c user.email=bench@keagitops.invalid commit -qm bench
commit() { git -C "$inv" -c user.name=bench -c user.email=bench@keagitops.invalid commit -qam "$1"; }
"$keagitops" deploy --inventory "$inv" >"$LAB_DIR/bench-first-deploy.log" 2>&1 || { cat "$LAB_DIR/bench-first-deploy.log" >&2; exit 1; }

on() { # ADDRESS CMD: runs CMD on a lab server over ssh
  ssh -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$LAB_DIR/known_hosts" \
    -o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes -i "$LAB_DIR/client_key" "root@$1" "$2"
}
ssh_true() {
  local a
  for a in 198.51.100.133 198.51.100.134; do on "$a" true; done
}

# The restart floor, by hand: the secondary (.134) then the primary (.133), each restarted and then waited
# for until both servers say load-balancing (bounded: 60 s a server).
ha_state() {
  on "$1" 'kea-shell --host 127.0.0.1 --port 8001 --timeout 2 --auth-user kea-api --auth-password-file /etc/kea/kea-api-password --service dhcp4 ha-heartbeat </dev/null' 2>/dev/null \
    | grep -o '"state": *"[^"]*"' | head -n1 | sed 's/.*"\([^"]*\)"$/\1/' || true
}
restart_by_hand() {
  local a deadline
  for a in 198.51.100.134 198.51.100.133; do
    on "$a" 'kea-lab-service restart isc-kea-dhcp4-server' >/dev/null
    deadline=$(( $(date +%s) + 60 ))
    until [ "$(ha_state 198.51.100.134)" = load-balancing ] && [ "$(ha_state 198.51.100.133)" = load-balancing ]; do
      [ "$(date +%s)" -lt "$deadline" ] || { echo "restart floor: $a not back in load-balancing within 60 s" >&2; return 1; }
      sleep 0.2
    done
  done
  echo "restarted by hand: both load-balancing"
}

# Each round moves one setting between two values and commits, so every deploy has exactly one change:
# toggle NAME BEFORE AFTER A B: the text BEFORE<value>AFTER of site.yaml (patterns: ^ and $ anchor it) goes
# from A to B, or back when it holds B.
toggle() {
  local name=$1 before=$2 after=$3 a=$4 b=$5 from to
  if grep -q "$before$a$after" "$inv/site.yaml"; then from=$a; to=$b; else from=$b; to=$a; fi
  sed -i "s/$before$from$after/${before#^}$to${after%\$}/" "$inv/site.yaml"
  commit "$name $to"
}
# Full deploy: the global renew timer, a DHCPv4-only change reloaded into each running server under the hand-over.
change_timer() { toggle renew-timer '^renew-timer: ' '$' 43200 43201; }
# Subnet settings: the lab subnet's own valid-lifetime, applied at runtime (subnet4-update).
change_subnet_timer() { toggle "lab subnet valid-lifetime" '^    valid-lifetime: ' '$' 90000 90001; }
# Reservation-only: lab-fixed-1's address, applied at runtime (host_cmds).
move_reservation() { toggle "lab-fixed-1 to" 'ip-address: ' ', hostname: lab-fixed-1' 198.51.100.201 198.51.100.211; }

# measure KEY CHECK CMD...: runs CMD once, keeps its wall milliseconds in times[KEY]. CHECK is a pattern
# the output must match twice (once per server), so a figure is never that of a failure.
declare -A times phases
[ "${TIMINGS:-0}" = 1 ] && export KEAGITOPS_TIMINGS=1
measure() {
  local key=$1 check=$2 t0 t1
  shift 2
  t0=$(date +%s%N)
  "$@" >"$LAB_DIR/bench-out" 2>&1 || { cat "$LAB_DIR/bench-out" >&2; echo "$key: failed" >&2; exit 1; }
  t1=$(date +%s%N)
  if [ -n "$check" ] && [ "$(grep -cE "$check" "$LAB_DIR/bench-out")" -ne 2 ]; then
    cat "$LAB_DIR/bench-out" >&2; echo "$key: expected '$check' for both servers" >&2; exit 1
  fi
  times[$key]="${times[$key]:-} $(( (t1 - t0) / 1000000 ))"
  if [ "${TIMINGS:-0}" = 1 ]; then
    phases[$key]="${phases[$key]:-}$(( (t1 - t0) / 1000000 )) ms: $(grep -E '^[a-z].* [0-9]+ms' "$LAB_DIR/bench-out" | tail -n1 || true)"$'\n'
  fi
}
report() { # LABEL KEY
  printf '%s\n' ${times[$2]} | sort -n | awk -v l="$1" '{a[NR]=$1} END {printf "%-52s best %.2f s  median %.2f s  (%d runs)\n", l, a[1]/1000, a[int((NR+1)/2)]/1000, NR}'
}

builds=("$keagitops")
[ -n "$other" ] && builds+=("$other")
for _ in $(seq "$runs"); do
  measure floor "" ssh_true
  for b in "${!builds[@]}"; do
    measure "noop-$b" "Unchanged" "${builds[$b]}" deploy --inventory "$inv"
    move_reservation
    measure "reservation-$b" "Applied .* at runtime" "${builds[$b]}" deploy --inventory "$inv"
    change_subnet_timer
    measure "subnet-$b" "Applied .* at runtime, no restart: settings of subnet 1 updated" "${builds[$b]}" deploy --inventory "$inv"
    if [ "${FULL:-1}" != 0 ]; then
      change_timer
      measure "full-$b" "^kea-dhcp-[12] +Applied " "${builds[$b]}" deploy --inventory "$inv"
    fi
  done
  if [ "${FULL:-1}" != 0 ]; then
    measure restart-floor "" restart_by_hand
  fi
done

echo
echo "deploy to the lab's two servers (Kea 3.0 HA pair, sshd each; wall clock, process start to exit):"
report "floor: ssh HOST true to each server" floor
for b in "${!builds[@]}"; do
  name=$([ "$b" = 0 ] && echo "" || echo " [$other]")
  report "no-op deploy (target < 1 s)$name" "noop-$b"
  report "reservation-only deploy (target < 2 s)$name" "reservation-$b"
  report "subnet-settings deploy, at runtime$name" "subnet-$b"
done
if [ "${FULL:-1}" != 0 ]; then
  report "floor: restart each server by hand, wait for HA" restart-floor
  for b in "${!builds[@]}"; do
    name=$([ "$b" = 0 ] && echo "" || echo " [$other]")
    report "full deploy, timer changed (target: floor + 1 s)$name" "full-$b"
  done
fi
if [ "${TIMINGS:-0}" = 1 ]; then
  for key in "${!phases[@]}"; do
    printf '\nphases of %s (wall, then each phase):\n%s' "$key" "${phases[$key]}"
  done
fi
