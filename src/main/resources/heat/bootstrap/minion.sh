#!/bin/bash
# baystack: the bootstrap of one minion of a bay, run once by cloud-init as the server's last boot
# step. Makes the node (containerd, kubeadm/kubelet of the bay's kube_tag) and joins the master's API
# with the bootstrap token and the hash of the bay's CA, then signals Heat: SUCCESS, or FAILURE with
# the failing step and the last lines of its log.
# A minion rebuilt on another image (an upgrade) finds its identity on its volume: it comes back as the
# node it was, on the release it ran. When the server's metadata names a later kube_tag, its upgrade
# timer moves it there once the master's API server runs it (a kubelet is never newer than its API).
set -Eeuo pipefail
# shellcheck source=lib.sh
source /usr/local/lib/baystack/lib.sh
trap on_failure ERR
start_bootstrap

if running=$(recorded_kube_tag); then
  restore_node "$running"
  install_upgrade_timer
  STEP="done"
  signal SUCCESS "minion ${NODE_NAME}: restored from its volume on Kubernetes ${running} (the bay's: ${KUBE_TAG})"
  exit 0
fi

prepare_node "$KUBE_TAG"

step "master api"
# the master bootstraps at the same time: wait (30 minutes at most) for its API to answer, then join once
for ((i = 0; i < 180; i++)); do
  if curl -ksf --max-time 10 "https://${MASTER_PRIVATE_IP}:6443/readyz" >/dev/null; then
    break
  fi
  sleep 10
done
curl -ksSf --max-time 10 "https://${MASTER_PRIVATE_IP}:6443/readyz" >/dev/null

step "kubeadm join"
install -d -m 0755 /etc/kubernetes
cat >/etc/kubernetes/kubeadm-join.yaml <<CONFIG
apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: ${MASTER_PRIVATE_IP}:6443
    token: "${BOOTSTRAP_TOKEN}"
    caCertHashes: ["${CA_CERT_HASH}"]
$(node_registration)
CONFIG
chmod 0600 /etc/kubernetes/kubeadm-join.yaml
kubeadm join --config /etc/kubernetes/kubeadm-join.yaml >>"$BAYSTACK_LOG" 2>&1

step "kubelet"
for ((i = 0; i < 60; i++)); do
  if systemctl is-active --quiet kubelet; then
    break
  fi
  sleep 5
done
systemctl is-active --quiet kubelet
record_kube_tag "$KUBE_TAG"
install_upgrade_timer

STEP="done"
signal SUCCESS "minion ${NODE_NAME}: joined ${MASTER_PRIVATE_IP}:6443"
