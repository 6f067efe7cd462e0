#!/usr/bin/env python3
"""The local cloud's node simulator: a stand-in for what a bay's servers do once booted.

Nova here runs the fake virt driver: its servers go ACTIVE but nothing boots, so no cloud-init ever
reads their user data and no bootstrap script signals Heat's wait conditions. This process does the
part of a booted node that baystack and Heat can see, from the same user data a real node gets:

  * it reads each new ACTIVE server's user data from Nova (as admin, compute API 2.3), takes the
    MIME message apart as cloud-init would and reads /etc/baystack/bootstrap.env from its cloud-config;
  * a master fetches its CA key from baystack once (CA_KEY_URL with X-Bootstrap-Token, as master.sh
    does) and checks it against the CA certificate of its user data;
  * it signals the node's wait condition (SIGNAL_URL with SIGNAL_TOKEN) as lib.sh's signal() does:
    SUCCESS, or FAILURE naming the failed step.

Kubernetes itself is not run (see the README's stand-ins). Faults are injected by image name, as the
Heat stand-in templates do: a server of image `stand-in-fail` fails its kubeadm step, one of
`stand-in-hang` never signals (its wait condition times out).

Each server is booted once (cloud-init runs its scripts once per instance): the ids of the servers done
are kept in NODE_SIM_STATE, so a restart does not boot them again.

Environment: KEYSTONE_URL, ADMIN_PASSWORD, NODE_SIM_INTERVAL (seconds between looks, default 2),
NODE_SIM_LOG (default stderr), NODE_SIM_STATE (the servers done; default: none kept).
"""
import base64
import concurrent.futures
import datetime
import email
import json
import logging
import os
import sys
import time
import urllib.error
import urllib.request

import yaml
from cryptography import x509
from cryptography.hazmat.primitives import serialization

KEYSTONE = os.environ.get("KEYSTONE_URL", "http://127.0.0.1:5000/v3")
INTERVAL = float(os.environ.get("NODE_SIM_INTERVAL", "2"))
SETTINGS = "/etc/baystack/bootstrap.env"
CA_CERT = "/etc/kubernetes/pki/ca.crt"
LOG = logging.getLogger("node-sim")


def http(method, url, token=None, body=None, headers=None, timeout=30):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    # as curl asks, unless told otherwise (the CA key is PEM, not JSON)
    request.add_header("Accept", (headers or {}).get("Accept", "application/json"))
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("X-Auth-Token", token)
    for k, v in (headers or {}).items():
        if k != "Accept":
            request.add_header(k, v)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.headers, response.read()


class Admin:
    """The cloud admin's token and the service endpoints of its catalog."""

    def __init__(self):
        self.token, self.expires, self.catalog = None, 0.0, {}

    def get(self):
        if time.time() > self.expires - 300:
            body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
                "name": "admin", "domain": {"id": "default"}, "password": os.environ["ADMIN_PASSWORD"]}}},
                "scope": {"project": {"name": "admin", "domain": {"id": "default"}}}}}
            _, headers, raw = http("POST", KEYSTONE + "/auth/tokens", body=body)
            token = json.loads(raw)["token"]
            self.token = headers["X-Subject-Token"]
            self.expires = datetime.datetime.fromisoformat(token["expires_at"].replace("Z", "+00:00")).timestamp()
            self.catalog = {s["type"]: e["url"] for s in token.get("catalog", []) for e in s["endpoints"]
                            if e["interface"] == "public"}
        return self.token


def user_data_files(user_data):
    """The write_files of the cloud-config parts of a server's user data (base64 of a MIME message)."""
    files = {}
    message = email.message_from_bytes(base64.b64decode(user_data))
    for part in message.walk() if message.is_multipart() else [message]:
        if part.get_content_type() != "text/cloud-config":
            continue
        config = yaml.safe_load(part.get_payload(decode=True)) or {}
        for f in config.get("write_files", []):
            files[f.get("path")] = f.get("content") or ""
    return files


def settings_of(text):
    """KEY=value lines, read as data (as lib.sh's load_settings does)."""
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key] = value
    return out


class Simulator:
    def __init__(self):
        self.admin = Admin()
        self.state = os.environ.get("NODE_SIM_STATE")
        self.seen = set()
        if self.state and os.path.exists(self.state):
            with open(self.state) as done:
                self.seen = {line.strip() for line in done if line.strip()}
        self.images = {}
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=4)
        # what booted before this process started was handled by the one before it
        self.since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=10)

    def image_name(self, image_id):
        if image_id not in self.images:
            try:
                _, _, raw = http("GET", self.admin.catalog["image"].rstrip("/") + "/v2/images/" + image_id,
                                 token=self.admin.get())
                self.images[image_id] = json.loads(raw).get("name", "")
            except (urllib.error.URLError, KeyError) as e:
                LOG.warning("image %s not read: %s", image_id, e)
                return ""
        return self.images[image_id]

    def look(self):
        token = self.admin.get()
        since = (self.since - datetime.timedelta(seconds=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
        started = datetime.datetime.now(datetime.timezone.utc)
        # the summary list (ids and names): Nova's detailed view asks Neutron for every listed server's
        # security groups, which made this poll a steady load on the one Neutron process; a new server's
        # details (its user data) are read once, by the thread that boots it
        compute = self.admin.catalog["compute"].rstrip("/")
        _, _, raw = http("GET", compute + "/servers?all_tenants=1&status=ACTIVE&changes-since=" + since, token=token)
        self.since = started
        for server in json.loads(raw).get("servers", []):
            if server["id"] in self.seen:
                continue
            self.seen.add(server["id"])
            if self.state:
                with open(self.state, "a") as done:
                    done.write(server["id"] + "\n")
            self.pool.submit(self.read_and_boot, compute + "/servers/" + server["id"])

    def read_and_boot(self, url):
        try:
            _, _, raw = http("GET", url, token=self.admin.get(), headers={"OpenStack-API-Version": "compute 2.3"})
        except urllib.error.URLError as e:
            LOG.warning("%s not read: %s", url, e)
            return
        server = json.loads(raw)["server"]
        user_data = server.get("OS-EXT-SRV-ATTR:user_data")
        if user_data:
            self.boot(server, user_data)

    def boot(self, server, user_data):
        name = server["name"]
        try:
            files = user_data_files(user_data)
        except Exception as e:  # not a MIME message of cloud-config: not a baystack node
            LOG.info("%s: user data not read (%s): not a baystack node", name, e)
            return
        if SETTINGS not in files:
            return
        settings = settings_of(files[SETTINGS])
        if not settings.get("SIGNAL_URL"):
            LOG.info("%s: no wait condition to signal", name)
            return
        image = self.image_name((server.get("image") or {}).get("id", ""))
        role = settings.get("ROLE", "")
        if image == "stand-in-hang":
            LOG.info("%s (%s): image stand-in-hang, stays silent", name, role)
            return
        log = [f"node simulator: {role} {name} of image {image or '?'}"]
        if role == "master":
            failed = self.fetch_ca_key(settings, files.get(CA_CERT, ""), log)
            if failed:
                return self.signal(settings, "FAILURE", f"certificate authority failed ({failed})", log)
            step = "kubeadm init"
        else:
            step = "kubeadm join"
        if image == "stand-in-fail":
            log.append(f"{step}: image stand-in-fail, the step fails")
            return self.signal(settings, "FAILURE", f"{step} failed (exit 1)", log)
        if role == "master":
            reason = f"master {settings.get('MASTER_PRIVATE_IP')}: Kubernetes {settings.get('KUBE_TAG')} API ready"
        else:
            reason = f"minion {settings.get('NODE_NAME')}: joined {settings.get('MASTER_PRIVATE_IP')}:6443"
        self.signal(settings, "SUCCESS", reason, log)

    def fetch_ca_key(self, settings, ca_cert, log):
        """None when the CA key came and matches the certificate, else what went wrong."""
        url = settings.get("CA_KEY_URL")
        if not url:
            log.append("no CA key URL: the key is not fetched")
            return None
        try:
            _, _, key_pem = http("GET", url, headers={"X-Bootstrap-Token": settings.get("CA_KEY_TOKEN", ""),
                                                         "Accept": "*/*"})
        except urllib.error.HTTPError as e:
            return f"HTTP {e.code}"
        except urllib.error.URLError as e:
            return f"unreachable: {e.reason}"
        try:
            key = serialization.load_pem_private_key(key_pem, password=None)
            cert = x509.load_pem_x509_certificate(ca_cert.encode())
            spki = serialization.PublicFormat.SubjectPublicKeyInfo
            if key.public_key().public_bytes(serialization.Encoding.DER, spki) != \
                    cert.public_key().public_bytes(serialization.Encoding.DER, spki):
                return "the key is not the certificate's"
        except ValueError as e:
            return f"unreadable: {e}"
        log.append("certificate authority: key fetched, it matches ca.crt")
        return None

    def signal(self, settings, status, reason, log):
        body = {"status": status, "reason": reason, "data": "\n".join(log)}
        for attempt in range(1, 7):
            try:
                http("POST", settings["SIGNAL_URL"], token=settings.get("SIGNAL_TOKEN"), body=body)
                LOG.info("%s signalled %s: %s", settings.get("NODE_NAME"), status, reason)
                return
            except urllib.error.URLError as e:
                LOG.warning("%s: signal attempt %d failed: %s", settings.get("NODE_NAME"), attempt, e)
                time.sleep(attempt * 2)


def main():
    logging.basicConfig(filename=os.environ.get("NODE_SIM_LOG"), level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s")
    simulator = Simulator()
    LOG.info("node simulator started (a look every %ss)", INTERVAL)
    while True:
        try:
            simulator.look()
        except Exception as e:  # the cloud blinks: look again next time
            LOG.warning("look failed: %s", e)
        time.sleep(INTERVAL)


if __name__ == "__main__":
    sys.exit(main())
