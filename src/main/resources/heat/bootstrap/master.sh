#!/bin/bash
# baystack: the bootstrap of a bay's Kubernetes master, run once by cloud-init as the server's last
# boot step. Makes the node (containerd, kubeadm/kubelet/kubectl of the bay's kube_tag), places the
# bay's CA, runs kubeadm init with the bootstrap token baystack generated, installs the CNI named by
# the bay's network_driver, waits for the API to answer /readyz, and signals Heat: SUCCESS, or
# FAILURE with the failing step and the last lines of its log.
# A master rebuilt on another image (an upgrade) finds its cluster on its volume: it restores it, and
# upgrades it when the server's metadata names a later kube_tag than the one it ran.
set -Eeuo pipefail
# shellcheck source=lib.sh
source /usr/local/lib/baystack/lib.sh
trap on_failure ERR
start_bootstrap

if running=$(recorded_kube_tag); then
  restore_node "$running"
  step "api ready (restored)"
  wait_api_ready
  # the timer first: if the upgrade below fails, the timer tries it again once this bootstrap has ended
  install_upgrade_timer
  if [ "$running" != "$KUBE_TAG" ] && release_at_least "$KUBE_TAG" "$running"; then
    upgrade_master "$KUBE_TAG"
  fi
  STEP="done"
  signal SUCCESS "master ${MASTER_PRIVATE_IP}: restored from its volume, Kubernetes $(recorded_kube_tag) API ready"
  exit 0
fi

prepare_node "$KUBE_TAG"

step "certificate authority"
# the CA's certificate came with the user data; its key is fetched once from baystack, over TLS, with
# a token that works only once and only while the bay is being created (never kept in the user data)
install -d -m 0700 /etc/kubernetes/pki
retry 5 curl -fsS --max-time 30 -H "X-Bootstrap-Token: $CA_KEY_TOKEN" "$CA_KEY_URL" -o /etc/kubernetes/pki/ca.key.new
chmod 0600 /etc/kubernetes/pki/ca.key.new
mv /etc/kubernetes/pki/ca.key.new /etc/kubernetes/pki/ca.key
openssl x509 -noout -in /etc/kubernetes/pki/ca.crt

step "kubeadm init"
sans="  - ${MASTER_PRIVATE_IP}"
if [ -n "${MASTER_PUBLIC_IP:-}" ]; then
  sans="${sans}
  - ${MASTER_PUBLIC_IP}"
fi
image_repository=""
if [ -n "${CONTAINER_INFRA_PREFIX:-}" ]; then
  image_repository="imageRepository: ${CONTAINER_INFRA_PREFIX%/}"
fi
cat >/etc/kubernetes/kubeadm-init.yaml <<CONFIG
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
  - token: "${BOOTSTRAP_TOKEN}"
    ttl: "${BOOTSTRAP_TOKEN_TTL}"
    usages: [signing, authentication]
    groups: ["system:bootstrappers:kubeadm:default-node-token"]
localAPIEndpoint:
  advertiseAddress: ${MASTER_PRIVATE_IP}
  bindPort: 6443
$(node_registration)
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: ${CLUSTER_NAME}
kubernetesVersion: ${KUBE_TAG}
controlPlaneEndpoint: ${MASTER_PRIVATE_IP}:6443
${image_repository}
networking:
  podSubnet: ${POD_CIDR}
  serviceSubnet: ${SERVICE_CIDR}
apiServer:
  certSANs:
${sans}
CONFIG
chmod 0600 /etc/kubernetes/kubeadm-init.yaml
kubeadm init --config /etc/kubernetes/kubeadm-init.yaml --upload-certs=false >>"$BAYSTACK_LOG" 2>&1
export KUBECONFIG=/etc/kubernetes/admin.conf

step "network ($NETWORK_DRIVER)"
manifest=/etc/kubernetes/cni.yaml
retry 5 curl -fsSL "$CNI_MANIFEST_URL" -o "$manifest"
case $NETWORK_DRIVER in
  flannel)
    # flannel's net-conf.json names the pod network: the bay's
    sed -i "s#\"Network\": \"[0-9./]*\"#\"Network\": \"${POD_CIDR}\"#" "$manifest"
    ;;
  calico)
    sed -i "s@# - name: CALICO_IPV4POOL_CIDR@- name: CALICO_IPV4POOL_CIDR@; s@#   value: \"192.168.0.0/16\"@  value: \"${POD_CIDR}\"@" "$manifest"
    ;;
esac
if [ -n "${CONTAINER_INFRA_PREFIX:-}" ]; then
  # every image from the bay's registry: docker.io/flannel/flannel:v0.26.1 -> <prefix>flannel:v0.26.1
  sed -i -E "s#image: *(docker\.io/|ghcr\.io/|quay\.io/)?([^/ ]+/)*([^/ ]+)\$#image: ${CONTAINER_INFRA_PREFIX}\3#" "$manifest"
fi
retry 5 kubectl apply -f "$manifest" >>"$BAYSTACK_LOG" 2>&1

step "api ready"
wait_api_ready
record_kube_tag "$KUBE_TAG"
install_upgrade_timer

STEP="done"
signal SUCCESS "master ${MASTER_PRIVATE_IP}: Kubernetes ${KUBE_TAG} API ready"
