-- The master's one-time fetch of its bay's CA key (GET /bootstrap/{bay}/ca-key): when it happened. The
-- key leaves baystack once, over TLS, to the node that runs kubeadm init; never through the user data.
alter table bay_ca add column key_fetched_at timestamptz;
