#!/usr/bin/env bash
# Makes sure a RabbitMQ answers on 127.0.0.1:$RABBIT_PORT (the broker of the profile `rabbitmq`):
# reuses a running one, else starts a node of our own (Debian's rabbitmq-server, as the rabbitmq
# user, node and Erlang distribution bound to loopback, state under /var/tmp). local-down.sh stops
# only a node this script started. `stop` stops it now.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
mkdir -p "$LOGDIR" "$RUNDIR"

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$RABBIT_PORT") 2>/dev/null; }
as_rabbit() {
  runuser -u rabbitmq -- env RABBITMQ_NODENAME="$RABBIT_NODE" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
    RABBITMQ_NODE_PORT="$RABBIT_PORT" RABBITMQ_DIST_PORT=$((RABBIT_PORT + 20000)) ERL_EPMD_ADDRESS=127.0.0.1 \
    RABBITMQ_MNESIA_BASE="$RABBIT_BASE/mnesia" RABBITMQ_LOG_BASE="$RABBIT_BASE/log" \
    RABBITMQ_PID_FILE="$RABBIT_BASE/node.pid" RABBITMQ_CONFIG_FILE="$RABBIT_BASE/rabbitmq" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$RABBIT_BASE/enabled_plugins" "$@"
}

if [ "${1:-}" = stop ]; then
  if [ -f "$RUNDIR/rabbitmq.node" ]; then
    log "stopping RabbitMQ node $RABBIT_NODE"
    as_rabbit rabbitmqctl -n "$RABBIT_NODE" stop >/dev/null 2>&1 || true
    rm -f "$RUNDIR/rabbitmq.node"
  fi
  exit 0
fi

# Heat's stack notifications go to queues named after their topic (baystack-heat.info, .error), which
# fill up while no baystack consumes them: a policy bounds them (newest 10 000 kept, none older than an
# hour). Best effort: a broker we may not administer still serves.
bound_notification_queues() {
  local ctl=(rabbitmqctl)
  [ -f "$RUNDIR/rabbitmq.node" ] && ctl=(as_rabbit rabbitmqctl -n "$RABBIT_NODE")
  timeout 30 "${ctl[@]}" set_policy --apply-to queues baystack-heat-notifications '^baystack-heat\.' \
    '{"max-length":10000,"message-ttl":3600000}' >>"$LOGDIR/rabbitmq.out" 2>&1 \
    || log "warning: could not bound Heat's notification queues with a RabbitMQ policy (see $LOGDIR/rabbitmq.out)"
}

if answers; then
  log "RabbitMQ already answers on 127.0.0.1:$RABBIT_PORT: reusing it"
  bound_notification_queues
  exit 0
fi
command -v rabbitmq-server >/dev/null || die "rabbitmq-server is missing: run scripts/install-deps.sh"
install -d -o rabbitmq -g rabbitmq "$RABBIT_BASE" "$RABBIT_BASE/log" "$RABBIT_BASE/mnesia"
# the guest user may only connect over loopback, which is all this node listens on
echo "loopback_users.guest = true" | install -o rabbitmq -g rabbitmq -m 644 /dev/stdin "$RABBIT_BASE/rabbitmq.conf"
echo "[]." | install -o rabbitmq -g rabbitmq -m 644 /dev/stdin "$RABBIT_BASE/enabled_plugins"
log "starting RabbitMQ node $RABBIT_NODE on 127.0.0.1:$RABBIT_PORT (log: $RABBIT_BASE/log)"
as_rabbit rabbitmq-server -detached >>"$LOGDIR/rabbitmq.out" 2>&1
echo "$RABBIT_NODE" > "$RUNDIR/rabbitmq.node"
as_rabbit rabbitmqctl -n "$RABBIT_NODE" wait --timeout 60 "$RABBIT_BASE/node.pid" >>"$LOGDIR/rabbitmq.out" 2>&1 \
  || die "RabbitMQ did not start; see $LOGDIR/rabbitmq.out and $RABBIT_BASE/log"
wait_for RabbitMQ 30 answers
bound_notification_queues
