# shellcheck shell=bash
# baystack node bootstrap: what the master and the minions share. Written by cloud-init to
# /usr/local/lib/baystack/lib.sh and sourced by master.sh and minion.sh; nothing here runs by itself.
#
# The node's settings come from /etc/baystack/bootstrap.env (KEY=value lines, written by Heat from the
# bay's parameters). They are read as plain text, never sourced: a value is data, not shell.

BAYSTACK_ENV=${BAYSTACK_ENV:-/etc/baystack/bootstrap.env}
BAYSTACK_LOG=${BAYSTACK_LOG:-/var/log/baystack-bootstrap.log}
# the node's volume, where its state outlives a rebuild (prepare_storage), and the release it records there
BAYSTACK_STATE=${BAYSTACK_STATE:-/var/lib/baystack}
KUBE_TAG_FILE=${KUBE_TAG_FILE:-/etc/kubernetes/baystack-kube-tag}
BAYSTACK_METADATA_URL=${BAYSTACK_METADATA_URL:-http://169.254.169.254/openstack/latest/meta_data.json}
# held by a bootstrap or an upgrade for as long as it runs: one at a time on a node
BAYSTACK_LOCK=${BAYSTACK_LOCK:-/run/baystack-bootstrap.lock}
STEP="starting"

log() {
  printf '%s [%s] %s\n' "$(date -u +%H:%M:%S)" "$STEP" "$*" | tee -a "$BAYSTACK_LOG" >&2
}

# load_settings: every KEY=value line of the settings file becomes a shell variable KEY
load_settings() {
  local key value
  [ -r "$BAYSTACK_ENV" ] || { echo "no settings at $BAYSTACK_ENV" >&2; return 1; }
  while IFS= read -r line || [ -n "$line" ]; do
    case $line in '' | '#'*) continue ;; esac
    key=${line%%=*}
    value=${line#*=}
    [[ $key =~ ^[A-Z][A-Z0-9_]*$ ]] || { echo "bad settings line: $key" >&2; return 1; }
    printf -v "$key" '%s' "$value"
  done <"$BAYSTACK_ENV"
}

# step NAME: what the node does now, as a failure signal names it
step() {
  STEP=$1
  log "begins"
}

# json_string TEXT: TEXT as a JSON string literal
json_string() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\t'/\\t}
  s=${s//$'\r'/}
  s=${s//$'\n'/\\n}
  printf '"%s"' "$s"
}

# signal STATUS REASON: tells Heat's wait condition of this node (SUCCESS or FAILURE); the data are the
# last lines of the bootstrap log. No wait condition (SIGNAL_URL empty): only logged.
signal() {
  local status=$1 reason=$2 body
  body="{\"status\": \"$status\", \"reason\": $(json_string "$reason"), \"data\": $(json_string "$(tail -n 20 "$BAYSTACK_LOG" 2>/dev/null)")}"
  log "signal $status: $reason"
  if [ -z "${SIGNAL_URL:-}" ]; then
    return 0
  fi
  local try
  for try in 1 2 3 4 5 6; do
    if curl -fsS --max-time 20 -X POST -H "X-Auth-Token: $SIGNAL_TOKEN" -H 'Content-Type: application/json' \
        -H 'Accept: application/json' --data-binary "$body" "$SIGNAL_URL" >/dev/null; then
      return 0
    fi
    log "signal attempt $try failed"
    sleep $((try * 5))
  done
  return 1
}

# on_failure: the ERR trap. Signals FAILURE naming the step that failed, then stops the script.
on_failure() {
  local rc=$?
  trap - ERR
  signal FAILURE "$STEP failed (exit $rc)" || true
  exit "$rc"
}

# retry N COMMAND...: COMMAND until it succeeds, N times at most (mirrors and registries blink)
retry() {
  local n=$1 i
  shift
  for ((i = 1; i <= n; i++)); do
    if "$@"; then
      return 0
    fi
    log "attempt $i of $n failed: $*"
    sleep $((i * 3))
  done
  return 1
}

# prepare_storage: the node's Cinder volume (docker_volume_size) keeps what must outlive the server's root
# disk: containerd's images, the node's Kubernetes identity and configuration (/etc/kubernetes,
# /var/lib/kubelet) and, on the master, etcd's data. An upgrade to another image rebuilds the server: a
# blank root disk, its volumes kept. The bootstrap then finds the node's state on the volume and restores
# the node rather than making a new one. Each directory is bind-mounted from the volume; on a fresh volume
# it starts with what cloud-init wrote there (the CA's certificate).
prepare_storage() {
  local device=${CONTAINER_DEVICE:-/dev/vdb}
  if [ "${DOCKER_VOLUME_SIZE:-0}" = 0 ]; then
    log "no volume: the node's state stays on its root disk, and a rebuild of the server loses it"
    return 0
  fi
  local i
  for ((i = 0; i < 60; i++)); do
    [ -b "$device" ] && break
    sleep 2
  done
  [ -b "$device" ] || { log "volume $device never appeared"; return 1; }
  if ! blkid "$device" >/dev/null 2>&1; then
    mkfs.ext4 -q -L baystack "$device"
  fi
  local uuid
  uuid=$(blkid -s UUID -o value "$device")
  mkdir -p "$BAYSTACK_STATE"
  grep -q " $BAYSTACK_STATE " /etc/fstab || echo "UUID=$uuid $BAYSTACK_STATE ext4 defaults,nofail 0 2" >>/etc/fstab
  mountpoint -q "$BAYSTACK_STATE" || mount "$BAYSTACK_STATE"
  local pair name target
  for pair in containerd:/var/lib/containerd kubernetes:/etc/kubernetes kubelet:/var/lib/kubelet etcd:/var/lib/etcd; do
    name=${pair%%:*}
    target=${pair#*:}
    mkdir -p "$BAYSTACK_STATE/$name" "$target"
    if [ -z "$(ls -A "$BAYSTACK_STATE/$name")" ] && [ -n "$(ls -A "$target")" ]; then
      cp -a "$target/." "$BAYSTACK_STATE/$name/"
    fi
    grep -q " $target " /etc/fstab ||
      echo "$BAYSTACK_STATE/$name $target none bind,nofail,x-systemd.requires-mounts-for=$BAYSTACK_STATE 0 0" >>/etc/fstab
    mountpoint -q "$target" || mount "$target"
  done
}

# recorded_kube_tag: the Kubernetes release this node was made or last upgraded to, as its state (on the
# volume) records it; fails when the node has no state: a fresh node, or a bootstrap that never ended
recorded_kube_tag() {
  [ -s "$KUBE_TAG_FILE" ] || return 1
  cat "$KUBE_TAG_FILE"
}

# record_kube_tag TAG: the node now runs TAG (written last, once the node works)
record_kube_tag() {
  printf '%s\n' "$1" >"$KUBE_TAG_FILE.new"
  mv "$KUBE_TAG_FILE.new" "$KUBE_TAG_FILE"
}

# current_kube_tag: the release the bay wants this node on now. Heat keeps it in the server's metadata
# (kube_tag), which an upgrade changes without touching the first boot's settings: read live from the
# metadata service; else as cloud-init last read it (a config drive); else the settings' KUBE_TAG.
current_kube_tag() {
  local tag=""
  tag=$(curl -fsS --max-time 10 "$BAYSTACK_METADATA_URL" 2>/dev/null |
    python3 -c 'import json, sys; print(json.load(sys.stdin).get("meta", {}).get("kube_tag", ""))' 2>/dev/null) || tag=""
  if [ -z "$tag" ] && command -v cloud-init >/dev/null; then
    tag=$(cloud-init query ds.meta_data.meta.kube_tag 2>/dev/null) || tag=""
  fi
  tag=${tag:-${KUBE_TAG:-}}
  [[ $tag =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || { log "not a Kubernetes release: '$tag'"; return 1; }
  printf '%s\n' "$tag"
}

# release_at_least TAG FLOOR: TAG is FLOOR or a later release
release_at_least() {
  [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n 1)" = "$2" ]
}

# prepare_kernel: the modules and sysctls a Kubernetes node needs; no swap
prepare_kernel() {
  printf 'overlay\nbr_netfilter\n' >/etc/modules-load.d/kubernetes.conf
  modprobe overlay
  modprobe br_netfilter
  printf 'net.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward = 1\n' \
    >/etc/sysctl.d/90-kubernetes.conf
  sysctl --system >/dev/null
  swapoff -a
  sed -i '/\sswap\s/s/^/#/' /etc/fstab
}

# install_runtime: containerd from the image's distribution (its own mirror), systemd cgroups, and the
# pause image from the bay's registry prefix (container_infra_prefix) when it has one
install_runtime() {
  export DEBIAN_FRONTEND=noninteractive
  retry 5 apt-get update -q
  retry 5 apt-get install -y -q containerd apt-transport-https ca-certificates curl gpg
  mkdir -p /etc/containerd
  containerd config default >/etc/containerd/config.toml
  sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml
  if [ -n "${CONTAINER_INFRA_PREFIX:-}" ]; then
    sed -i "s#sandbox_image = \"registry.k8s.io/#sandbox_image = \"${CONTAINER_INFRA_PREFIX}#" /etc/containerd/config.toml
  fi
  systemctl enable containerd
  systemctl restart containerd
}

# install_kubernetes TAG [PACKAGE...]: the packages (kubelet, kubeadm and kubectl when none are named) of
# release TAG from the package repository (the package_repository label: a mirror of pkgs.k8s.io's layout
# for an air-gapped cloud, one repository per minor release), held at that version
install_kubernetes() {
  local tag=$1
  shift
  local -a packages=("$@") pinned=()
  [ ${#packages[@]} -gt 0 ] || packages=(kubelet kubeadm kubectl)
  local version=${tag#v}
  local minor=${version%.*}
  local repository=${PACKAGE_REPOSITORY:-https://pkgs.k8s.io/core:/stable:}/v${minor}/deb/
  mkdir -p /etc/apt/keyrings
  retry 5 curl -fsSL "${repository}Release.key" -o /tmp/kubernetes-release.key
  gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes.gpg /tmp/kubernetes-release.key
  echo "deb [signed-by=/etc/apt/keyrings/kubernetes.gpg] ${repository} /" >/etc/apt/sources.list.d/kubernetes.list
  retry 5 apt-get update -q
  local package
  for package in "${packages[@]}"; do
    pinned+=("${package}=${version}-*")
  done
  retry 5 apt-get install -y -q --allow-change-held-packages "${pinned[@]}"
  apt-mark hold "${packages[@]}"
  systemctl enable kubelet
}

# node_registration: kubeadm's nodeRegistration (init or join) for this node: the containerd socket, the
# labels its kubelet registers it with (NODE_LABELS, comma-separated key=value) and its taints
# (NODE_TAINTS, comma-separated key[=value]:Effect). No NODE_TAINTS leaves kubeadm's own default: the
# control plane's taint on a master, none on a minion. baystack checked both lists' syntax.
node_registration() {
  local taint key value effect
  local -a taints=()
  echo "nodeRegistration:"
  echo "  criSocket: unix:///run/containerd/containerd.sock"
  if [ -n "${NODE_LABELS:-}" ]; then
    echo "  kubeletExtraArgs:"
    echo "    - name: node-labels"
    echo "      value: \"${NODE_LABELS}\""
  fi
  if [ -n "${NODE_TAINTS:-}" ]; then
    echo "  taints:"
    IFS=',' read -ra taints <<<"$NODE_TAINTS"
    for taint in "${taints[@]}"; do
      effect=${taint##*:}
      key=${taint%:*}
      value=""
      if [[ $key == *=* ]]; then
        value=${key#*=}
        key=${key%%=*}
      fi
      echo "    - key: \"${key}\""
      if [ -n "$value" ]; then
        echo "      value: \"${value}\""
      fi
      echo "      effect: ${effect}"
    done
  fi
}

# start_bootstrap: what every node's bootstrap does first: its settings, the node held for as long as the
# bootstrap runs (one bootstrap or upgrade at a time), its volume, and the release the bay wants it on now
start_bootstrap() {
  load_settings
  exec 9>"$BAYSTACK_LOCK"
  flock 9
  step "storage"
  prepare_storage
  KUBE_TAG=$(current_kube_tag)
}

# prepare_node TAG: everything before kubeadm, the same on every node, for release TAG
prepare_node() {
  step "kernel"
  prepare_kernel
  step "containerd"
  install_runtime
  step "kubernetes packages"
  install_kubernetes "$1"
}

# restore_node: a node whose server was rebuilt (its root disk blank) and whose state is on its volume:
# the packages of the release it recorded, then its kubelet, which finds its identity, its configuration
# and (on the master) the control plane's static pods and etcd's data where they were
restore_node() {
  local running=$1
  prepare_node "$running"
  step "kubelet (restored)"
  systemctl daemon-reload
  systemctl restart kubelet
}

# api_version: the release the bay's Kubernetes API server runs (its /version, which anyone may read)
api_version() {
  curl -ksSf --max-time 10 "https://${MASTER_PRIVATE_IP}:6443/version" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["gitVersion"])'
}

# wait_api_ready: the master's API answers /readyz (10 minutes at most)
wait_api_ready() {
  local i
  for ((i = 0; i < 120; i++)); do
    if kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw /readyz >/dev/null 2>&1; then
      return 0
    fi
    sleep 5
  done
  kubectl --kubeconfig /etc/kubernetes/admin.conf get --raw /readyz >/dev/null
}

# upgrade_master TAG: kubeadm's upgrade of the control plane to TAG, then the master's kubelet and kubectl
upgrade_master() {
  local target=$1
  step "upgrade to $target"
  install_kubernetes "$target" kubeadm
  kubeadm upgrade apply -y "$target" >>"$BAYSTACK_LOG" 2>&1
  install_kubernetes "$target" kubelet kubectl
  systemctl daemon-reload
  systemctl restart kubelet
  wait_api_ready
  record_kube_tag "$target"
}

# upgrade_minion TAG: once the API server runs TAG (a kubelet is never newer than its API server; 10
# minutes at most, the next try then waits again), kubeadm's upgrade of this node, then its kubelet
upgrade_minion() {
  local target=$1 api="" i
  step "upgrade to $target"
  for ((i = 0; i < 60; i++)); do
    api=$(api_version 2>/dev/null) || api=""
    if [ -n "$api" ] && release_at_least "$api" "$target"; then
      break
    fi
    sleep 10
  done
  if [ -z "$api" ] || ! release_at_least "$api" "$target"; then
    log "the API server runs '${api}', not yet $target"
    return 1
  fi
  install_kubernetes "$target" kubeadm
  kubeadm upgrade node >>"$BAYSTACK_LOG" 2>&1
  install_kubernetes "$target" kubelet kubectl
  systemctl daemon-reload
  systemctl restart kubelet
  record_kube_tag "$target"
}

# upgrade_from_metadata: what the node's upgrade timer runs every minute. When the server's metadata names
# a later release than the node records, the node upgrades to it (an upgrade that keeps the image changes
# only the metadata: no rebuild). Nothing while a bootstrap or another upgrade runs, nor on a node that
# never finished its bootstrap; a failed upgrade is tried again by the next run.
upgrade_from_metadata() {
  set -Eeuo pipefail
  load_settings
  exec 9>"$BAYSTACK_LOCK"
  flock -n 9 || return 0
  local running target
  running=$(recorded_kube_tag) || return 0
  target=$(current_kube_tag)
  [ "$target" != "$running" ] || return 0
  if ! release_at_least "$target" "$running"; then
    log "the server's metadata names $target, older than $running: nothing done"
    return 0
  fi
  case $ROLE in
    master) upgrade_master "$target" ;;
    *) upgrade_minion "$target" ;;
  esac
  log "upgraded from $running to $target"
}

# install_upgrade_timer: upgrade_from_metadata every minute, as a systemd timer (installed once the node works)
install_upgrade_timer() {
  cat >/etc/systemd/system/baystack-upgrade.service <<'UNIT'
[Unit]
Description=baystack: move this node to the Kubernetes release its server's metadata names
After=network-online.target

[Service]
Type=oneshot
ExecStart=/bin/bash -c 'source /usr/local/lib/baystack/lib.sh && upgrade_from_metadata'
UNIT
  cat >/etc/systemd/system/baystack-upgrade.timer <<'UNIT'
[Unit]
Description=baystack: look for a Kubernetes upgrade every minute

[Timer]
OnBootSec=2min
OnUnitActiveSec=1min

[Install]
WantedBy=timers.target
UNIT
  systemctl daemon-reload
  systemctl enable --now baystack-upgrade.timer
}
