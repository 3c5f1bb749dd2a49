#!/usr/bin/env bash
# The KeaGitOps SSH test lab: two "servers", each a network namespace with its own sshd and its own
# Kea file tree, running real Kea 3.0 (kea-dhcp4 with the HA and lease_cmds hooks, kea-ctrl-agent)
# from the Debian testing root that scripts/make-kea3-root.sh builds. Run as root.
#
#   tests/lab/lab.sh up                 build the lab, start sshd and Kea, wait until HA is healthy
#   tests/lab/lab.sh down               stop everything and remove it (safe twice, and after a failed up)
#   tests/lab/lab.sh status             namespaces, sshd, daemons and HA state per server
#   tests/lab/lab.sh run SERVER CMD...  run CMD inside a server as its sshd would (namespaces, chroot)
#
# SERVER is 1, 2, s1, s2, kgo-s1, kea-dhcp-1, or an address. Layout (see tests/lab/README.md):
#   bridge kgo-br0 198.51.100.1/24 in this namespace; netns kgo-s1 (eth0 198.51.100.133) and kgo-s2
#   (eth0 198.51.100.134), each with a veth to the bridge; netns kgo-c (eth0 198.51.100.250), the DHCP
#   client side for perfdhcp and probes. TEST-NET-2 only: no real network is addressed.
# Environment: LAB_DIR (/tmp/keagitops-lab), KEA3_ROOT (/var/cache/keagitops/kea3-root), LAB_PREFIX
# (kgo: names kgo-br0, kgo-s1, ...), LAB_NETWORK (198.51.100: a /24, servers .133 and .134),
# LAB_HEALTH_TIMEOUT (30 s: how long `up` waits for a healthy HA pair).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
LAB_DIR=${LAB_DIR:-/tmp/keagitops-lab}
KEA3_ROOT=${KEA3_ROOT:-/var/cache/keagitops/kea3-root}
LAB_PREFIX=${LAB_PREFIX:-kgo}
LAB_NETWORK=${LAB_NETWORK:-198.51.100}
LAB_HEALTH_TIMEOUT=${LAB_HEALTH_TIMEOUT:-30}
bridge=$LAB_PREFIX-br0
servers=(1 2)
marker_file=.keagitops-lab

netns_of() { echo "$LAB_PREFIX-s$1"; }
address_of() { echo "$LAB_NETWORK.$((132 + $1))"; }
client_netns() { echo "$LAB_PREFIX-c"; }
client_address() { echo "$LAB_NETWORK.250"; }
name_of() { echo "kea-dhcp-$1"; }
dir_of() { echo "$LAB_DIR/s$1"; }
log() { echo "lab: $*" >&2; }
die() { log "$*"; exit 1; }
now_ms() { date +%s%3N; }

resolve() {
  local s
  for s in "${servers[@]}"; do
    case "$1" in "$s"|"s$s"|"$(netns_of "$s")"|"$(name_of "$s")"|"$(address_of "$s")") echo "$s"; return 0 ;; esac
  done
  die "unknown server '$1' (use 1, 2, s1, s2, $(netns_of 1), $(name_of 1) or $(address_of 1))"
}

# A missing prerequisite says how to get it.
require_prerequisites() {
  [ "$(id -u)" -eq 0 ] || die "run as root (sudo $0 ...)"
  local tool
  for tool in ip ssh-keygen unshare nsenter setsid chroot mount timeout; do
    command -v "$tool" >/dev/null || die "$tool is missing: apt-get install iproute2 openssh-client util-linux coreutils (scripts/install-prerequisites.sh installs everything)"
  done
  [ -x "$KEA3_ROOT/usr/sbin/kea-dhcp4" ] && [ -x "$KEA3_ROOT/usr/sbin/kea-ctrl-agent" ] \
    || die "no Kea 3.0 root at $KEA3_ROOT: run scripts/make-kea3-root.sh (or set KEA3_ROOT)"
  local f
  for f in usr/sbin/sshd usr/sbin/ip usr/bin/ps usr/sbin/kea-shell usr/bin/setpriv; do
    [ -x "$KEA3_ROOT/$f" ] || die "the Kea 3.0 root lacks /$f: run scripts/make-kea3-root.sh (it adds openssh-server, iproute2 and procps to older roots)"
  done
  grep -q '^_kea:' "$KEA3_ROOT/etc/passwd" || die "the Kea 3.0 root has no _kea user: rebuild it with scripts/make-kea3-root.sh"
}

# The root's _kea user and group, as numbers (this machine may give those numbers other names).
kea_ids() { awk -F: '$1=="_kea"{print $3":"$4}' "$KEA3_ROOT/etc/passwd"; }

alive() { [ -n "${1:-}" ] && [ -d "/proc/$1" ] && [ "$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# pid of the server's init (pid 1 of its pid namespace, in its network and mount namespaces).
init_pid() {
  local pid
  pid=$(cat "$(dir_of "$1")/init.pid" 2>/dev/null) || return 1
  alive "$pid" || return 1
  echo "$pid"
}

# Runs a command inside server $1 the way its sshd runs a session: in the server's network, mount,
# pid and uts namespaces, chrooted into the Kea 3.0 root, root's environment, bash -c "CMD...".
run_in() {
  local id=$1; shift
  local pid
  pid=$(init_pid "$id") || die "server $(name_of "$id") is not running (tests/lab/lab.sh up)"
  nsenter --target "$pid" --mount --net --pid --uts -- chroot "$KEA3_ROOT" /usr/bin/env -i \
    HOME=/root USER=root LOGNAME=root SHELL=/bin/bash LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    /bin/bash -c 'cd /root && exec /bin/bash -c "$1"' bash "$*"
}

# The server's HA state from its Control Agent's ha-heartbeat (empty when it does not answer).
ha_state() {
  run_in "$1" 'kea-shell --host 127.0.0.1 --port 8001 --timeout 2 --auth-user kea-api --auth-password-file /etc/kea/kea-api-password --service dhcp4 ha-heartbeat </dev/null' 2>/dev/null \
    | grep -o '"state": *"[^"]*"' | head -n1 | sed 's/.*"\([^"]*\)"$/\1/' || true
}

write_server_files() {
  local id=$1 d ids
  d=$(dir_of "$id")
  ids=$(kea_ids)
  mkdir -p "$d"/{etc-kea,run-kea,var-lib-kea,var-log-kea,ssh,root-ssh}

  ssh-keygen -q -t ed25519 -N '' -C "keagitops-lab-$(name_of "$id")" -f "$d/ssh/ssh_host_ed25519_key"
  echo "$(address_of "$id") $(cut -d' ' -f1,2 "$d/ssh/ssh_host_ed25519_key.pub")" >>"$LAB_DIR/known_hosts"
  cat >"$d/ssh/sshd_config" <<EOF
# sshd of lab server $(name_of "$id") (written by tests/lab/lab.sh)
ListenAddress $(address_of "$id"):22
HostKey /etc/ssh/lab/ssh_host_ed25519_key
PidFile /run/kea/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes yes
PrintMotd no
AcceptEnv LANG LC_*
Subsystem sftp internal-sftp
EOF
  chmod 0700 "$d/ssh" "$d/root-ssh"
  install -m 0600 "$LAB_DIR/client_key.pub" "$d/root-ssh/authorized_keys"

  # /etc/kea as Debian's packaging leaves it: the folder _kea:_kea 0750, files root:_kea 0640.
  local net=$LAB_NETWORK
  sed -e "s/@THIS_SERVER@/$(name_of "$id")/g" -e "s/@NAME1@/$(name_of 1)/g" -e "s/@NAME2@/$(name_of 2)/g" \
      -e "s/@ADDRESS1@/$(address_of 1)/g" -e "s/@ADDRESS2@/$(address_of 2)/g" -e "s/@NETWORK@/$net/g" \
      "$here/seed/kea-dhcp4.conf.in" >"$d/etc-kea/kea-dhcp4.conf"
  cp "$here/seed/kea-ctrl-agent.conf.in" "$d/etc-kea/kea-ctrl-agent.conf"
  printf "%s" "$(head -c 24 /dev/urandom | base64 | tr -d "/+=")" >"$d/etc-kea/kea-api-password"   # no newline: Kea reads the whole file as the password
  chown "root:${ids#*:}" "$d"/etc-kea/*
  chmod 0640 "$d"/etc-kea/*
  chown "$ids" "$d/etc-kea" "$d/run-kea" "$d/var-lib-kea" "$d/var-log-kea"
  chmod 0750 "$d/etc-kea" "$d/run-kea" "$d/var-lib-kea" "$d/var-log-kea"
}

make_network() {
  ip link add "$bridge" type bridge
  ip addr add "$LAB_NETWORK.1/24" dev "$bridge"
  ip link set "$bridge" up
  local id ns
  for id in "${servers[@]}"; do
    ns=$(netns_of "$id")
    ip netns add "$ns"
    ip link add "$ns" type veth peer name eth0 netns "$ns"
    ip link set "$ns" master "$bridge" up
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$(address_of "$id")/24" dev eth0
    ip -n "$ns" link set eth0 up
  done
  # The DHCP client side (perfdhcp, probes): its own namespace on the bridge, outside every pool.
  ns=$(client_netns)
  ip netns add "$ns"
  ip link add "$ns" type veth peer name eth0 netns "$ns"
  ip link set "$ns" master "$bridge" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$(client_address)/24" dev eth0
  ip -n "$ns" link set eth0 up
}

# Starts server $1: in its netns, a new mount, pid and uts namespace whose init (a shell) bind-mounts
# the server's folders over the root's (and gives it its own /run, /tmp and /root as tmpfs), then runs the root's sshd chrooted; the init reaps orphans
# (daemons started over SSH) and everything in the pid namespace dies with it.
start_server() {
  local id=$1 d ids upid pid= i
  d=$(dir_of "$id")
  ids=$(kea_ids)
  setsid ip netns exec "$(netns_of "$id")" unshare --mount --pid --uts --fork --kill-child --propagation private \
    /bin/sh -c '
      set -e
      R=$1 D=$2 IDS=$3 LOG=$4 NAME=$5
      # This shell is pid 1 of its pid namespace; the host procfs (still at /proc) gives its host pid.
      read -r hostpid _ </proc/self/stat
      echo "$hostpid" >"$D/init.pid.tmp" && mv "$D/init.pid.tmp" "$D/init.pid"
      echo "$NAME" >/proc/sys/kernel/hostname
      mount -t tmpfs -o mode=0755 lab-run "$R/run"
      mkdir -p "$R/run/kea" "$R/run/sshd" "$R/run/lock/kea"
      chown "$IDS" "$R/run/lock/kea"
      mount --bind "$D/run-kea" "$R/run/kea"
      mount --bind "$D/etc-kea" "$R/etc/kea"
      mount --bind "$D/var-lib-kea" "$R/var/lib/kea"
      mount --bind "$D/var-log-kea" "$R/var/log/kea"
      mount --bind "$D/ssh" "$R/etc/ssh/lab"
      mount -t tmpfs -o mode=1777 lab-tmp "$R/tmp"
      mount -t tmpfs -o mode=0700 lab-root-home "$R/root"
      mkdir -m 0700 "$R/root/.ssh"
      mount --bind "$D/root-ssh" "$R/root/.ssh"
      mount -t proc proc "$R/proc"
      mount -t sysfs sysfs "$R/sys"
      mount --rbind /dev "$R/dev"
      chroot "$R" /usr/sbin/sshd -D -e -f /etc/ssh/lab/sshd_config 2>>"$LOG" &
      wait
    ' lab-init "$KEA3_ROOT" "$d" "$ids" "$LAB_DIR/sshd-s$id.log" "$(name_of "$id")" \
    </dev/null >>"$LAB_DIR/init-s$id.log" 2>&1 &
  upid=$!
  echo "$upid" >"$d/unshare.pid"
  for i in $(seq 1 100); do   # at most 2 s for the init to write its pid
    pid=$(cat "$d/init.pid" 2>/dev/null || true)
    [ -n "$pid" ] && break
    alive "$upid" || die "server $(name_of "$id") did not start: $(tail -n 5 "$LAB_DIR/init-s$id.log")"
    sleep 0.02
  done
  [ -n "$pid" ] || die "server $(name_of "$id"): its init did not start within 2 s"
}

wait_for_sshd() {
  local id=$1 deadline
  deadline=$(( $(now_ms) + 10000 ))
  until timeout 1 bash -c "exec 3<>/dev/tcp/$(address_of "$id")/22" 2>/dev/null; do
    [ "$(now_ms)" -lt "$deadline" ] || die "sshd of $(name_of "$id") is not listening after 10 s: $(tail -n 5 "$LAB_DIR/sshd-s$id.log" "$LAB_DIR/init-s$id.log" 2>/dev/null)"
    init_pid "$id" >/dev/null || die "server $(name_of "$id") died: $(tail -n 5 "$LAB_DIR/sshd-s$id.log" "$LAB_DIR/init-s$id.log" 2>/dev/null)"
    sleep 0.05
  done
}

cmd_up() {
  require_prerequisites
  local started ended id
  started=$(now_ms)
  cmd_down >/dev/null 2>&1 || true   # a clean slate, whatever an earlier run left
  local up_done=0
  trap 'if [ $up_done = 0 ]; then log "up failed: tearing the lab down"; cmd_down >/dev/null 2>&1 || true; fi' EXIT
  trap 'exit 130' INT TERM HUP

  mkdir -p "$LAB_DIR"
  chmod 0755 "$LAB_DIR"
  touch "$LAB_DIR/$marker_file"
  ssh-keygen -q -t ed25519 -N '' -C keagitops-lab-client -f "$LAB_DIR/client_key"
  : >"$LAB_DIR/known_hosts"
  for id in "${servers[@]}"; do write_server_files "$id"; done
  install -m 0755 "$here/kea-lab-service" "$KEA3_ROOT/usr/local/sbin/kea-lab-service"

  make_network
  for id in "${servers[@]}"; do start_server "$id"; done
  for id in "${servers[@]}"; do wait_for_sshd "$id"; done

  for id in "${servers[@]}"; do
    run_in "$id" 'kea-lab-service start isc-kea-dhcp4-server && kea-lab-service start isc-kea-ctrl-agent'
  done

  # Bounded wait for both HA peers to be healthy (load-balancing or hot-standby, each answering).
  local deadline state all_ok
  deadline=$(( $(now_ms) + LAB_HEALTH_TIMEOUT * 1000 ))
  declare -A states
  while :; do
    all_ok=1
    for id in "${servers[@]}"; do
      state=$(ha_state "$id")
      states[$id]=${state:-no answer}
      case "$state" in load-balancing|hot-standby) ;; *) all_ok=0 ;; esac
    done
    [ $all_ok = 1 ] && break
    if [ "$(now_ms)" -ge "$deadline" ]; then
      for id in "${servers[@]}"; do
        log "$(name_of "$id"): HA state ${states[$id]}; dhcp4 $(run_in "$id" 'kea-lab-service is-active isc-kea-dhcp4-server' || true), ctrl-agent $(run_in "$id" 'kea-lab-service is-active isc-kea-ctrl-agent' || true)"
        log "  last lines of /var/log/kea/kea-dhcp4.out:"; tail -n 8 "$(dir_of "$id")/var-log-kea/kea-dhcp4.out" >&2 2>/dev/null || true
        log "  last lines of /var/log/kea/kea-ctrl-agent.out:"; tail -n 4 "$(dir_of "$id")/var-log-kea/kea-ctrl-agent.out" >&2 2>/dev/null || true
      done
      die "HA did not become healthy within ${LAB_HEALTH_TIMEOUT} s"
    fi
    sleep 0.5
  done

  write_inventory
  up_done=1
  trap - EXIT INT TERM HUP
  ended=$(now_ms)
  for id in "${servers[@]}"; do
    echo "$(name_of "$id") $(address_of "$id") netns $(netns_of "$id"): sshd up, HA state ${states[$id]}"
  done
  echo "lab up in $(( (ended - started) / 1000 )).$(( (ended - started) % 1000 / 100 )) s: ssh -o UserKnownHostsFile=$LAB_DIR/known_hosts -i $LAB_DIR/client_key root@$(address_of 1)"
  echo "deploy the example to it: keagitops deploy --inventory $LAB_DIR/inventory"
}

# The example inventory adapted to the lab (its addresses, SSH key and known_hosts, the service shim),
# so a person can watch `keagitops deploy --inventory $LAB_DIR/inventory` bring both servers to HA.
write_inventory() {
  local target=$LAB_DIR/inventory
  rm -rf "$target" && cp -r "$here/../../inventory" "$target"
  sed -i -e "s/address: 192.168.1.133/address: $(address_of 1)/" -e "s/address: 192.168.1.134/address: $(address_of 2)/" \
    -e "s|  known-hosts: inventory/known_hosts|  known-hosts: $LAB_DIR/known_hosts\\n  key-file: $LAB_DIR/client_key|" "$target/site.yaml"
  cat >>"$target/site.yaml" <<'YAML'

# The lab's servers have no systemd: its service shim stands in for systemctl.
deploy:
  restart-command: kea-lab-service restart isc-kea-dhcp4-server
  status-command: kea-lab-service is-active isc-kea-dhcp4-server
  agent-restart-command: kea-lab-service restart isc-kea-ctrl-agent
  ha-timeout: 60
YAML
}

# Kills every process of the lab: the pid namespaces' inits (which takes their namespaces down with
# them), then whatever still runs in the network namespaces. Bounded: TERM, up to 3 s, then KILL.
kill_bounded() {
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null || true
  local i p left
  for i in $(seq 1 60); do
    left=0
    for p in "$@"; do alive "$p" && left=1; done
    [ $left = 0 ] && return 0
    sleep 0.05
  done
  kill -KILL "$@" 2>/dev/null || true
  sleep 0.1
}

cmd_down() {
  [ "$(id -u)" -eq 0 ] || die "run as root (sudo $0 down)"
  local id ns pids d p
  for id in "${servers[@]}"; do
    d=$(dir_of "$id")
    pids=()
    for p in $(cat "$d/init.pid" "$d/unshare.pid" 2>/dev/null); do alive "$p" && pids+=("$p"); done
    # pid 1 of a pid namespace ignores TERM from outside unless it handles it: KILL it directly.
    [ -f "$d/init.pid" ] && p=$(cat "$d/init.pid") && alive "$p" && kill -KILL "$p" 2>/dev/null || true
    kill_bounded "${pids[@]}"
    ns=$(netns_of "$id")
    if ip netns list | grep -qw "^$ns"; then
      # shellcheck disable=SC2207
      pids=($(ip netns pids "$ns" 2>/dev/null || true))
      kill_bounded "${pids[@]}"
      ip netns del "$ns" 2>/dev/null || true
    fi
    ip link del "$ns" 2>/dev/null || true
  done
  ns=$(client_netns)
  if ip netns list | grep -qw "^$ns"; then
    # shellcheck disable=SC2207
    pids=($(ip netns pids "$ns" 2>/dev/null || true))
    kill_bounded "${pids[@]}"
    ip netns del "$ns" 2>/dev/null || true
  fi
  ip link del "$ns" 2>/dev/null || true
  ip link del "$bridge" 2>/dev/null || true
  if [ -d "$LAB_DIR" ]; then
    case "$LAB_DIR" in /|/tmp|/root|/var|/etc|/home|"") die "refusing to remove LAB_DIR=$LAB_DIR" ;; esac
    if [ -f "$LAB_DIR/$marker_file" ] || [ -z "$(ls -A "$LAB_DIR")" ]; then
      rm -rf "$LAB_DIR"
    else
      log "$LAB_DIR is not a lab folder (no $marker_file): left in place"
    fi
  fi
  echo "lab down"
}

cmd_status() {
  local id ns ok=0 state
  for id in "${servers[@]}"; do
    ns=$(netns_of "$id")
    if ! ip netns list | grep -qw "^$ns" || ! init_pid "$id" >/dev/null; then
      echo "$(name_of "$id") $(address_of "$id"): down"; ok=1; continue
    fi
    state=$(ha_state "$id")
    echo "$(name_of "$id") $(address_of "$id") netns $ns: init pid $(init_pid "$id"), sshd $(timeout 1 bash -c "exec 3<>/dev/tcp/$(address_of "$id")/22" 2>/dev/null && echo listening || echo 'not listening')," \
      "dhcp4 $(run_in "$id" 'kea-lab-service is-active isc-kea-dhcp4-server' || true)," \
      "ctrl-agent $(run_in "$id" 'kea-lab-service is-active isc-kea-ctrl-agent' || true), HA state ${state:-no answer}"
    case "$state" in load-balancing|hot-standby) ;; *) ok=1 ;; esac
  done
  return $ok
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  run)
    [ $# -ge 3 ] || die "usage: $0 run SERVER CMD..."
    server=$(resolve "$2"); shift 2
    run_in "$server" "$@" ;;
  *) echo "usage: $0 {up|down|status|run SERVER CMD...}" >&2; exit 2 ;;
esac
