"""Registers, idempotently, one OpenStack service of the local cloud in Keystone.

    keystone-service.py USER PASSWORD SERVICE_NAME SERVICE_TYPE URL

Makes the service user (admin and `service` on project `service`), the service of that type and its
public/internal/admin endpoints in RegionOne at URL (other URLs of that service are removed). Run with
Debian's /usr/bin/python3; reads KEYSTONE_URL and ADMIN_PASSWORD from the environment.
"""
import os
import sys

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

user_name, password, service_name, service_type, url = sys.argv[1:6]
env = os.environ
auth = v3.Password(auth_url=env["KEYSTONE_URL"], username="admin", password=env["ADMIN_PASSWORD"],
                   project_name="admin", user_domain_id="default", project_domain_id="default")
ks = client.Client(session=session.Session(auth=auth))


def one(items):
    return items[0] if items else None


def role(name):
    return one(ks.roles.list(name=name)) or ks.roles.create(name)


project = one(ks.projects.list(name="service", domain="default")) or ks.projects.create("service", "default")


def logs_in():
    """Whether the user's password already is PASSWORD: setting it again would revoke the user's tokens
    (Keystone does on every password change), logging a running service out."""
    try:
        session.Session(auth=v3.Password(auth_url=env["KEYSTONE_URL"], username=user_name, password=password,
                                         user_domain_id="default", unscoped=True)).get_token()
        return True
    except Exception:
        return False


found = one(ks.users.list(name=user_name, domain="default"))
if found is None:
    user = ks.users.create(user_name, domain="default", password=password, default_project=project)
elif logs_in():
    user = found
else:
    user = ks.users.update(found, password=password)
for r in ("admin", "service"):
    ks.roles.grant(role(r), user=user, project=project)

svc = one(ks.services.list(type=service_type)) or ks.services.create(service_name, type=service_type)
endpoints = ks.endpoints.list(service=svc)
for e in endpoints:
    if e.url != url:
        ks.endpoints.delete(e)
have = {e.interface for e in endpoints if e.url == url}
for interface in ("public", "internal", "admin"):
    if interface not in have:
        ks.endpoints.create(svc, url, interface=interface, region="RegionOne")
print(f"keystone: {service_type} ({service_name}) at {url}, user {user_name}")
