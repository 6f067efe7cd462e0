# shellcheck shell=bash
# baystack node bootstrap: what the master and the minions share. Written by cloud-init to
# /usr/local/lib/baystack/lib.sh and sourced by master.sh and minion.sh; nothing here runs by itself.
#
# The node's settings come from /etc/baystack/bootstrap.env (KEY=value lines, written by Heat from the
# bay's parameters). They are read as plain text, never sourced: a value is data, not shell.

BAYSTACK_ENV=${BAYSTACK_ENV:-/etc/baystack/bootstrap.env}
BAYSTACK_LOG=${BAYSTACK_LOG:-/var/log/baystack-bootstrap.log}
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

# prepare_storage: the bay's Cinder volume (docker_volume_size) holds containerd's images and containers
prepare_storage() {
  local device=${CONTAINER_DEVICE:-/dev/vdb}
  if [ "${DOCKER_VOLUME_SIZE:-0}" = 0 ]; then
    log "no volume for containerd: it stays on the root disk"
    return 0
  fi
  local i
  for ((i = 0; i < 60; i++)); do
    [ -b "$device" ] && break
    sleep 2
  done
  [ -b "$device" ] || { log "volume $device never appeared"; return 1; }
  if ! blkid "$device" >/dev/null 2>&1; then
    mkfs.ext4 -q -L containerd "$device"
  fi
  mkdir -p /var/lib/containerd
  grep -q ' /var/lib/containerd ' /etc/fstab || echo "LABEL=containerd /var/lib/containerd ext4 defaults,nofail 0 2" >>/etc/fstab
  mountpoint -q /var/lib/containerd || mount /var/lib/containerd
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

# install_kubernetes: kubeadm, kubelet and kubectl of the bay's kube_tag from the package repository
# (the package_repository label: a mirror of pkgs.k8s.io's layout for an air-gapped cloud)
install_kubernetes() {
  local version=${KUBE_TAG#v}
  local minor=${version%.*}
  local repository=${PACKAGE_REPOSITORY:-https://pkgs.k8s.io/core:/stable:}/v${minor}/deb/
  mkdir -p /etc/apt/keyrings
  retry 5 curl -fsSL "${repository}Release.key" -o /tmp/kubernetes-release.key
  gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes.gpg /tmp/kubernetes-release.key
  echo "deb [signed-by=/etc/apt/keyrings/kubernetes.gpg] ${repository} /" >/etc/apt/sources.list.d/kubernetes.list
  retry 5 apt-get update -q
  retry 5 apt-get install -y -q "kubelet=${version}-*" "kubeadm=${version}-*" "kubectl=${version}-*"
  apt-mark hold kubelet kubeadm kubectl
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

# prepare_node: everything before kubeadm, the same on every node
prepare_node() {
  step "storage"
  prepare_storage
  step "kernel"
  prepare_kernel
  step "containerd"
  install_runtime
  step "kubernetes packages"
  install_kubernetes
}
