"""Creates, idempotently, the identity entities baystack's local cloud needs.

Run with Debian's /usr/bin/python3 (it has keystoneclient). Reads passwords and URLs from the
environment that local-up.sh exports. Safe to run any number of times.
"""
import os

from keystoneauth1 import session
from keystoneauth1.identity import v3
from keystoneclient.v3 import client

env = os.environ
auth = v3.Password(auth_url=env["KEYSTONE_URL"], username="admin", password=env["ADMIN_PASSWORD"],
                   project_name="admin", user_domain_id="default", project_domain_id="default")
ks = client.Client(session=session.Session(auth=auth))


def one(items):
    return items[0] if items else None


def role(name):
    return one(ks.roles.list(name=name)) or ks.roles.create(name)


def project(name, domain="default"):
    return one(ks.projects.list(name=name, domain=domain)) or ks.projects.create(name, domain)


def logs_in(name, password, domain):
    try:
        session.Session(auth=v3.Password(auth_url=env["KEYSTONE_URL"], username=name, password=password,
                                         user_domain_id=domain.id if hasattr(domain, "id") else domain,
                                         unscoped=True)).get_token()
        return True
    except Exception:
        return False


def user(name, password, domain="default", default_project=None):
    found = one(ks.users.list(name=name, domain=domain))
    if found:
        # keep the password what this script says, even if an older run set another; but only when it is
        # not already that: a password change revokes the user's tokens (a running Heat's, baystack's, a
        # test's), which a second run of local-up.sh must not do
        return found if logs_in(name, password, domain) else ks.users.update(found, password=password)
    return ks.users.create(name, domain=domain, password=password, default_project=default_project)


def grant(role_name, user_obj, project_obj=None, domain_obj=None, system=None):
    ks.roles.grant(role(role_name), user=user_obj, project=project_obj, domain=domain_obj, system=system)


def service(name, stype, url):
    svc = one(ks.services.list(type=stype)) or ks.services.create(name, type=stype)
    existing = {(e.interface, e.url) for e in ks.endpoints.list(service=svc)}
    for e in ks.endpoints.list(service=svc):
        if e.url != url:
            ks.endpoints.delete(e)
    for interface in ("public", "internal", "admin"):
        if (interface, url) not in existing:
            ks.endpoints.create(svc, url, interface=interface, region="RegionOne")


for r in ("admin", "member", "reader", "heat_stack_owner", "heat_stack_user"):
    role(r)

service_project = project("service")

# Heat's own service user and its stack domain (stack users live there)
heat = user("heat", env["HEAT_PASSWORD"], default_project=service_project)
grant("admin", heat, project_obj=service_project)
heat_domain = one(ks.domains.list(name="heat")) or ks.domains.create("heat", description="Heat stack users")
heat_domain_admin = user("heat_domain_admin", env["HEAT_DOMAIN_ADMIN_PASSWORD"], domain=heat_domain)
grant("admin", heat_domain_admin, domain_obj=heat_domain)

# baystack's service user: validates tokens, is the trustee of every bay's trust, and (system admin)
# lists and reads all projects' stacks (one list call per reconciler round; Heat 19 wants a system admin for that)
baystack = user("baystack", env["BAYSTACK_SERVICE_PASSWORD"], default_project=service_project)
grant("admin", baystack, project_obj=service_project)
grant("admin", baystack, system="all")

# two ordinary tenants
for name, password in (("demo", env["DEMO_PASSWORD"]), ("alt_demo", env["ALT_PASSWORD"])):
    p = project(name)
    u = user(name, password, default_project=p)
    grant("member", u, project_obj=p)
    grant("reader", u, project_obj=p)

# a second user of the demo project (a colleague of demo's: a credential rotation by another user)
demo_peer = user("demo_peer", env["PEER_PASSWORD"], default_project=project("demo"))
grant("member", demo_peer, project_obj=project("demo"))
grant("reader", demo_peer, project_obj=project("demo"))

service("heat", "orchestration", env["HEAT_URL"] + "/v1/%(tenant_id)s")
service("baystack", "container-infra", env["BAYSTACK_URL"] + "/v1")
print("keystone entities ready")
