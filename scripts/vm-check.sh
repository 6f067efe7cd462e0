#!/usr/bin/env bash
# make vm-check: a bay master's bootstrap for real, in a Debian VM under qemu.
#
# Nova's fake driver boots nothing and the node simulator (scripts/os/node-sim.py) only does what Heat
# and baystack can see. This runs the real thing as far as these machines allow: a Debian 12 VM (made
# here with debootstrap, booted by qemu) gets, through cloud-init's NoCloud seed, the very user data Heat
# rendered for a bay's master in the local Nova; cloud-init writes its files and runs master.sh, which
# signals the master's wait condition in the local Heat from inside the VM. No Kubernetes package can be
# fetched here (pkgs.k8s.io is out of reach), so the script is expected to fail at its "kubernetes
# packages" step, and the bay to fail with the node's own words: that is what this checks.
#
# The VM reaches the host's loopback services as 10.0.2.2 (qemu's user network), so the user data's
# 127.0.0.1 URLs are rewritten to it; the bay's image is stand-in-hang, which the node simulator leaves
# silent, so the signal can only come from the VM. Needs `make run`'s local cloud and baystack (started
# if missing). Writes target/vm-check/report.md and the VM's console log; exits non-zero unless the bay
# ended as the VM's signal said. `scripts/vm-check.sh image` makes the Debian image alone.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# the Debian image is made once per machine and kept outside the checkout (VM_CHECK_CACHE)
CACHE=${VM_CHECK_CACHE:-/var/tmp/baystack-vm}
ROOTFS=$CACHE/rootfs-${VM_CHECK_SUITE:-bookworm}
VM=$LOCAL/vm
OUT=$ROOT/target/vm-check
SUITE=${VM_CHECK_SUITE:-bookworm}
MIRROR=${VM_CHECK_MIRROR:-http://deb.debian.org/debian}
LIMIT=${VM_CHECK_TIMEOUT:-1200}
mkdir -p "$VM" "$OUT" "$CACHE"

need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  log "installing ${need[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >"$VM/apt.log" 2>&1
fi

# ------------------------------------------------------------------ the Debian image (made once)
if [ ! -f "$ROOTFS/.made" ]; then
  rm -rf "$ROOTFS"
  log "debootstrap $SUITE into $ROOTFS (a few minutes, once)"
  t0=$SECONDS
  debootstrap --variant=minbase \
    --include=systemd-sysv,udev,linux-image-amd64,cloud-init,python3-cffi-backend,ifupdown,isc-dhcp-client,curl,ca-certificates,openssl,gpg,kmod,procps,iproute2,e2fsprogs \
    "$SUITE" "$ROOTFS" "$MIRROR" >"$CACHE/debootstrap.log" 2>&1 || die "debootstrap failed (see $CACHE/debootstrap.log)"
  echo "/dev/vda / ext4 defaults 0 1" >"$ROOTFS/etc/fstab"
  echo baystack-vm >"$ROOTFS/etc/hostname"
  # cloud-init reads its seed from the disk (NoCloud), nothing else
  printf 'datasource_list: [NoCloud, None]\n' >"$ROOTFS/etc/cloud/cloud.cfg.d/90-baystack.cfg"
  # the VM powers off once cloud-init's last stage (the user data's scripts included) is done, success or not
  printf 'power_state:\n  mode: poweroff\n  condition: true\n  timeout: 30\n' >"$ROOTFS/etc/cloud/cloud.cfg.d/91-baystack-poweroff.cfg"
  touch "$ROOTFS/.made"
  log "Debian image made ($((SECONDS - t0))s)"
fi

[ "${1:-}" = image ] && exit 0   # `vm-check.sh image`: the Debian image alone

# ------------------------------------------------------------------ a bay whose master the VM will be
ensure_app
set -a
# shellcheck disable=SC1091
source "$LOCAL/openrc"
set +a
token=$(curl -fsS -m 30 -D - -o /dev/null -H 'Content-Type: application/json' "$KEYSTONE_URL/auth/tokens" -d "{\"auth\":
  {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"name\": \"demo\", \"domain\": {\"id\": \"default\"},
  \"password\": \"$DEMO_PASSWORD\"}}}, \"scope\": {\"project\": {\"name\": \"demo\", \"domain\": {\"id\": \"default\"}}}}}" |
  awk -F': ' 'tolower($1) == "x-subject-token" {print $2}' | tr -d '\r')
[ -n "$token" ] || die "no token from Keystone"
api() { curl -fsS -m 60 -H "X-Auth-Token: $token" -H 'Content-Type: application/json' "$@"; }
name=vmcheck-$(date +%s)
model=$(api "$BAYSTACK_URL/v1/baymodels" -d "{\"name\": \"$name\", \"coe\": \"kubernetes\", \"image_id\": \"stand-in-hang\",
  \"keypair_id\": \"testkey\", \"external_network_id\": \"public\", \"flavor_id\": \"m1.small\", \"master_flavor_id\": \"m1.small\",
  \"docker_volume_size\": 2}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["uuid"])')
bay=$(api "$BAYSTACK_URL/v1/bays" -d "{\"name\": \"$name\", \"baymodel_id\": \"$model\", \"node_count\": 1,
  \"bay_create_timeout\": 30}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["uuid"])')
log "bay $name ($bay) asked for; waiting for its master in Nova"

admin_token=$(OS_CLOUD='' OS_USERNAME=admin OS_PASSWORD=$ADMIN_PASSWORD OS_PROJECT_NAME=admin openstack token issue -f value -c id)
server=""
for _ in $(seq 1 120); do
  server=$(curl -fsS -m 30 -H "X-Auth-Token: $admin_token" -H 'OpenStack-API-Version: compute 2.3' \
    "http://127.0.0.1:$NOVA_PORT/v2.1/servers/detail?all_tenants=1&name=^$name.*-master" |
    python3 -c 'import json,sys; s=[x for x in json.load(sys.stdin)["servers"] if x["status"]=="ACTIVE"]; print(s[0]["id"] if s else "")')
  [ -n "$server" ] && break
  sleep 2
done
[ -n "$server" ] || die "the master of $name never became ACTIVE in Nova"
curl -fsS -m 30 -H "X-Auth-Token: $admin_token" -H 'OpenStack-API-Version: compute 2.3' \
  "http://127.0.0.1:$NOVA_PORT/v2.1/servers/$server" >"$VM/server.json"

# the user data as Heat rendered it, the host's loopback renamed as the VM sees it
python3 - "$VM/server.json" "$VM/user-data" <<'PY'
import base64, email, json, sys
server = json.load(open(sys.argv[1]))["server"]
message = email.message_from_bytes(base64.b64decode(server["OS-EXT-SRV-ATTR:user_data"]))
for part in message.walk():
    if part.get_content_type() == "text/cloud-config":
        text = part.get_payload(decode=True).decode().replace("http://127.0.0.1:", "http://10.0.2.2:")
        part.set_payload(text)
        del part["Content-Transfer-Encoding"]
        part["Content-Transfer-Encoding"] = "7bit"
open(sys.argv[2], "w").write(message.as_string())
PY
seed=$ROOTFS/var/lib/cloud/seed/nocloud
rm -rf "$ROOTFS/var/lib/cloud/instances" "$ROOTFS/var/lib/cloud/instance" "$ROOTFS/var/log/cloud-init"*.log
mkdir -p "$seed"
cp "$VM/user-data" "$seed/user-data"
printf 'instance-id: %s\nlocal-hostname: %s-master\n' "$server" "$name" >"$seed/meta-data"

# ------------------------------------------------------------------ boot it
log "making the VM's disks"
rm -f "$VM/root.img" "$VM/volume.img"
mke2fs -q -t ext4 -d "$ROOTFS" -L root "$VM/root.img" 3G
truncate -s 2G "$VM/volume.img"   # the bay's Cinder volume (/dev/vdb): containerd's storage
kernel=$(ls "$ROOTFS"/boot/vmlinuz-* | sort -V | tail -n 1)
initrd=$(ls "$ROOTFS"/boot/initrd.img-* | sort -V | tail -n 1)
# software emulation (TCG): KVM inside these machines' own VM starts qemu but hangs the guest's kernel
# before its first line (seen here); VM_CHECK_ACCEL=kvm where it works
accel=(-accel "${VM_CHECK_ACCEL:-tcg}")
log "booting the VM (${accel[*]}); console: $OUT/console.log"
t0=$SECONDS
timeout "$LIMIT" qemu-system-x86_64 "${accel[@]}" -m 2048 -smp 2 -nographic -no-reboot \
  -kernel "$kernel" -initrd "$initrd" -append "root=/dev/vda rw console=ttyS0 net.ifnames=0" \
  -drive "file=$VM/root.img,if=virtio,format=raw" -drive "file=$VM/volume.img,if=virtio,format=raw" \
  -netdev user,id=n0 -device virtio-net-pci,netdev=n0 >"$OUT/console.log" 2>&1 </dev/null &
vm=$!

status=""
until [ -n "$status" ] && [ "$status" != CREATE_IN_PROGRESS ]; do
  kill -0 "$vm" 2>/dev/null || { sleep 5; status=$(api "$BAYSTACK_URL/v1/bays/$bay" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'); break; }
  sleep 5
  status=$(api "$BAYSTACK_URL/v1/bays/$bay" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])')
done
secs=$((SECONDS - t0))
kill "$vm" 2>/dev/null || true
wait "$vm" 2>/dev/null || true
# the node's state went to its volume (lib.sh's prepare_storage), where a rebuild of the server finds it:
# the volume's directories, and the CA's certificate cloud-init wrote to /etc/kubernetes, read off the image
volume=$(debugfs -R "ls -p /" "$VM/volume.img" 2>/dev/null | awk -F/ '$6 != "" && $6 != "." && $6 != ".." && $6 != "lost+found" {print $6}' | sort | tr '\n' ' ')
volume_ca=$(debugfs -R "cat /kubernetes/pki/ca.crt" "$VM/volume.img" 2>/dev/null | head -n 1)
api "$BAYSTACK_URL/v1/bays/$bay" >"$OUT/bay.json"
reason=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status_reason"])' "$OUT/bay.json")
steps=$(grep -aoE '[0-9]{2}:[0-9]{2}:[0-9]{2} \[[^]]+\] (begins|signal .*)' "$OUT/console.log" || true)
why=$(grep -aoE '(curl|E): .*' "$OUT/console.log" | tail -n 3 || true)
{
  echo "# make vm-check"
  echo
  echo "A Debian $SUITE VM under qemu (${accel[*]}) booted with the user data Heat rendered for"
  echo "the master of bay \`$name\` ($bay); cloud-init ran master.sh, which signalled Heat from the VM."
  echo
  echo "- bay status after ${secs}s: **$status**"
  echo "- status_reason: $reason"
  echo
  echo "The bootstrap's steps, as the VM's console showed them:"
  echo
  echo '```'
  echo "$steps"
  echo '```'
  echo
  echo "The volume (/dev/vdb) after the VM stopped: directories \`$volume\`; /kubernetes/pki/ca.crt begins \`$volume_ca\`"
  echo
  echo "What the failed step printed last:"
  echo
  echo '```'
  echo "$why"
  echo '```'
} >"$OUT/report.md"
cat "$OUT/report.md"
api -X DELETE "$BAYSTACK_URL/v1/bays/$bay" >/dev/null || true
# the bay failed with the node's words: a step of master.sh that failed, signalled from inside the VM
[ "$status" = CREATE_FAILED ] && grep -q "failed (exit" <<<"$reason" && grep -q "signal FAILURE" <<<"$steps" &&
  [ "$volume" = "containerd etcd kubelet kubernetes " ] && [ "$volume_ca" = "-----BEGIN CERTIFICATE-----" ]
