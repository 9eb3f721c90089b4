#!/usr/bin/env bash
# Starts one vecgate role in a pod of the Helm chart: finds the other cluster members, then
# runs the role (`start.sh writer --config /etc/vecgate/writer.properties`).
#
# Why a script: vecgate joins Hazelcast over TCP with the members given in --cluster-members
# (VECGATE_CLUSTER_MEMBERS) and turns every other discovery off. Hazelcast binds to the pod IP
# and keeps only the addresses of a member *name* that match its own interfaces, so the DNS name
# of a headless Service would only ever find the pod itself. The script resolves the names
# into pod IPs and passes those.
#
# Environment (the chart sets it):
#   VECGATE_HOST                  this pod's IP (every listener binds to it)
#   VECGATE_CLUSTER_PORT          the Hazelcast port of every member (5701)
#   VECGATE_CLUSTER_DNS           headless Service names, comma-separated (one per role)
#   VECGATE_CLUSTER_DNS_WAIT_SECONDS  how long to wait for the DNS to list this pod (30)
#   VECGATE_CLUSTER_WAIT_FOR      host:port of the writer's Hazelcast: gateways and readers
#                                 wait for it, so that a fresh install forms one cluster
#   VECGATE_CLUSTER_WAIT_SECONDS  how long they wait at most, then start anyway (120)
#   VECGATE_CLUSTER_MEMBERS       when set, used as it is and nothing is resolved
#   VECGATE_LAUNCHER              what runs vecgate (default /opt/vecgate/bin/vecgate, the image's)
set -euo pipefail

log() { echo "vecgate start.sh: $*" >&2; }

# True when host:port accepts a TCP connection within 2 s.
reachable() {
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2" 2>/dev/null
}

# The IPv4 addresses a name resolves to, one a line (none when it does not resolve).
resolve() {
  getent ahostsv4 "$1" 2>/dev/null | awk '{print $1}' | sort -u || true
}

port="${VECGATE_CLUSTER_PORT:-5701}"
self="${VECGATE_HOST:-}"

if [ -n "${VECGATE_CLUSTER_WAIT_FOR:-}" ] && [ -z "${VECGATE_CLUSTER_MEMBERS:-}" ]; then
  wait_host="${VECGATE_CLUSTER_WAIT_FOR%:*}"
  wait_port="${VECGATE_CLUSTER_WAIT_FOR##*:}"
  deadline=$((SECONDS + ${VECGATE_CLUSTER_WAIT_SECONDS:-120}))
  until reachable "$wait_host" "$wait_port"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "the writer's Hazelcast at $VECGATE_CLUSTER_WAIT_FOR did not answer within ${VECGATE_CLUSTER_WAIT_SECONDS:-120} s; starting with the members the DNS lists"
      break
    fi
    sleep 1
  done
fi

if [ -z "${VECGATE_CLUSTER_MEMBERS:-}" ] && [ -n "${VECGATE_CLUSTER_DNS:-}" ]; then
  IFS=',' read -r -a names <<<"$VECGATE_CLUSTER_DNS"
  deadline=$((SECONDS + ${VECGATE_CLUSTER_DNS_WAIT_SECONDS:-30}))
  while :; do
    ips=""
    for name in "${names[@]}"; do
      [ -n "$name" ] && ips+="$(resolve "$name")"$'\n'
    done
    ips="$(printf '%s' "$ips" | grep -v '^$' | sort -u || true)"
    # The pod's own address in the answer means the DNS has caught up with the pods started so far.
    if [ -z "$self" ] || grep -qxF "$self" <<<"$ips" || [ "$SECONDS" -ge "$deadline" ]; then
      break
    fi
    sleep 1
  done
  members=""
  for ip in $ips $self; do
    case ",$members," in *",$ip:$port,"*) ;; *) members="${members:+$members,}$ip:$port" ;; esac
  done
  if [ -n "$members" ]; then
    export VECGATE_CLUSTER_MEMBERS="$members"
    log "cluster members: $members"
  else
    log "no cluster member found in $VECGATE_CLUSTER_DNS; this node starts a cluster of its own"
  fi
fi

exec "${VECGATE_LAUNCHER:-/opt/vecgate/bin/vecgate}" "$@"
