"""Seeds, idempotently, what the local cloud's users expect to find (run by glance.sh and nova.sh).

    seed.py image     the public images (tiny but valid qcow2s) in Glance, as admin: debian-12 and
                      debian-13 (os_distro debian: what the tests and make run's baymodel name),
                      ubuntu-24.04 (os_distro ubuntu), fedora-coreos-38 (a distro baystack's bootstrap
                      does not run on: refused),
                      cirros-no-distro (no os_distro: Magnum refuses it), too-big-image (min_disk 100 GB:
                      no flavor here fits it, Nova refuses the server), stand-in-fail and
                      stand-in-hang (for the stand-in templates' tests)
    seed.py compute   flavors m1.tiny, m1.small and m1.medium (as admin); keypair `testkey` for the
                      users demo, alt_demo and admin, and `otherkey` for demo alone

Run with Debian's /usr/bin/python3; reads KEYSTONE_URL, ADMIN_PASSWORD, DEMO_PASSWORD and LOCAL from the
environment. Talks plain REST through keystoneauth (no client library version quirks).
"""
import os
import struct
import sys

from keystoneauth1 import adapter, session
from keystoneauth1.identity import v3

env = os.environ

BASE = {"disk_format": "qcow2", "container_format": "bare", "visibility": "public"}
IMAGES = [dict(BASE, name="fedora-coreos-38", os_distro="fedora-coreos"),
          dict(BASE, name="debian-12", os_distro="debian"),
          dict(BASE, name="debian-13", os_distro="debian"),
          dict(BASE, name="ubuntu-24.04", os_distro="ubuntu"),
          dict(BASE, name="cirros-no-distro"),
          dict(BASE, name="too-big-image", os_distro="debian", min_disk=100),
          # names the stand-in server template (heat/standin/server.yaml) reacts to: a server that fails,
          # one that boots for ten minutes; real Nova boots them like any other image
          dict(BASE, name="stand-in-fail", os_distro="debian"),
          dict(BASE, name="stand-in-hang", os_distro="debian")]
# name -> (id, vCPUs, RAM MB, disk GB); fixed ids, so that templates may name either
FLAVORS = {"m1.tiny": ("1", 1, 512, 1), "m1.small": ("2", 1, 2048, 20), "m1.medium": ("3", 2, 4096, 40)}
KEYPAIRS = [("demo", "DEMO_PASSWORD", "testkey"), ("demo", "DEMO_PASSWORD", "otherkey"),
            ("alt_demo", "ALT_PASSWORD", "testkey"), ("admin", "ADMIN_PASSWORD", "testkey")]


def connect(user, password, service_type):
    auth = v3.Password(auth_url=env["KEYSTONE_URL"], username=user, password=password, project_name=user,
                       user_domain_id="default", project_domain_id="default")
    return adapter.Adapter(session.Session(auth=auth), service_type=service_type, interface="public",
                           region_name="RegionOne")


def qcow2(virtual_size=512 << 20):
    """A valid, empty qcow2 (version 2, 4 KiB clusters): header, L1 table, refcount table and block,
    one cluster each, 16 KiB in all. Glance reads its virtual size from the header."""
    cluster = 4096
    l1_entries = -(-virtual_size // (cluster * (cluster // 8)))  # each L2 table maps cluster/8 clusters
    header = struct.pack(">4sIQIIQIIQQIIQ", b"QFI\xfb", 2, 0, 0, 12, virtual_size, 0,
                         l1_entries, 1 * cluster, 2 * cluster, 1, 0, 0)
    refcount_table = struct.pack(">Q", 3 * cluster)
    refcount_block = struct.pack(">4H", 1, 1, 1, 1)  # the four clusters in use
    pad = lambda b: b + bytes(cluster - len(b))
    return pad(header) + bytes(cluster) + pad(refcount_table) + pad(refcount_block)


def seed_images():
    glance = connect("admin", env["ADMIN_PASSWORD"], "image")
    for wanted in IMAGES:
        found = glance.get("/v2/images", params={"name": wanted["name"]}).json()["images"]
        active = [i for i in found if i["status"] == "active"]
        if active:
            # an image seeded by an older version of this script: its os_distro as wanted now
            if "os_distro" in wanted and active[0].get("os_distro") != wanted["os_distro"]:
                op = "replace" if "os_distro" in active[0] else "add"
                glance.patch(f"/v2/images/{active[0]['id']}", json=[{"op": op, "path": "/os_distro",
                                                                    "value": wanted["os_distro"]}],
                             headers={"Content-Type": "application/openstack-images-v2.1-json-patch"})
                print(f"glance: image {wanted['name']} now has os_distro {wanted['os_distro']}")
            continue
        for stale in found:  # an upload interrupted earlier left an image without data
            glance.delete(f"/v2/images/{stale['id']}")
        image = glance.post("/v2/images", json=wanted).json()
        glance.put(f"/v2/images/{image['id']}/file", data=qcow2(),
                   headers={"Content-Type": "application/octet-stream"})
        print(f"glance: image {wanted['name']} uploaded ({image['id']})")


def seed_compute():
    nova = connect("admin", env["ADMIN_PASSWORD"], "compute")
    have = {f["name"] for f in nova.get("/flavors").json()["flavors"]}
    for name, (fid, vcpus, ram, disk) in FLAVORS.items():
        if name not in have:
            nova.post("/flavors", json={"flavor": {"name": name, "id": fid, "vcpus": vcpus, "ram": ram,
                                                   "disk": disk, "os-flavor-access:is_public": True}})
            print(f"nova: flavor {name} created")
    for user, password, name in KEYPAIRS:
        nova = connect(user, env[password], "compute")
        if nova.get(f"/os-keypairs/{name}", raise_exc=False).status_code == 404:
            # Nova makes the key pair (API 2.1); its private half is kept for whoever wants to use it
            kp = nova.post("/os-keypairs", json={"keypair": {"name": name}}).json()["keypair"]
            path = os.path.join(env["LOCAL"], "nova", f"{name}-{user}.pem")
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(kp["private_key"])
            print(f"nova: keypair {name} created for {user} (private key in {path})")


{"image": seed_images, "compute": seed_compute}[sys.argv[1]]()
