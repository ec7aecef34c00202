#!/bin/sh
# multus-node-readiness: keeps its node's multus-not-ready NoSchedule taint in step with Multus. A
# Multus node registers with the taint; this removes it once Multus is ready on the node (the
# daemon has written 00-multus.conf and answers on its socket's /healthz), and puts it back when
# Multus is not ready when this starts (a reboot), or stops being ready for NOT_READY_POLLS polls in a
# row (the daemon deletes 00-multus.conf on SIGTERM, during an upgrade or a restart, and pods created
# meanwhile would get eth0 only). So no Multus pod is scheduled onto a node whose Multus cannot give
# it its interfaces.
#
# It patches nothing but that taint of its own node: a ValidatingAdmissionPolicy refuses any other
# change by its service account (the node's name comes from the service-account token).
#
# POSIX sh with curl, tr, sed, grep and cut: it runs in the AWS CLI image (Amazon Linux 2), which has
# no jq and no kubectl.
#
# Environment:
#   NODE_NAME        the node (downward API spec.nodeName)
#   TAINT_KEY        the taint's key; its effect is NoSchedule
#   MULTUS_CONF      00-multus.conf, as this container sees the host's /etc/cni/net.d
#   MULTUS_SOCKET    the Multus daemon's socket, as this container sees the host's /run/multus
#   SA_DIR           the service-account token and CA bundle
#   POLL_SECONDS     wait between checks
#   NOT_READY_POLLS  failed checks in a row before the taint goes back on
#
# No dollar-brace expansions anywhere: the script travels inside Terraform strings, where those
# would be read as interpolations.

[ -n "$TAINT_KEY" ] || TAINT_KEY=eks-custom-networking/multus-not-ready
[ -n "$MULTUS_CONF" ] || MULTUS_CONF=/host/etc/cni/net.d/00-multus.conf
[ -n "$MULTUS_SOCKET" ] || MULTUS_SOCKET=/host/run/multus/multus.sock
[ -n "$SA_DIR" ] || SA_DIR=/var/run/secrets/kubernetes.io/serviceaccount
[ -n "$POLL_SECONDS" ] || POLL_SECONDS=5
[ -n "$NOT_READY_POLLS" ] || NOT_READY_POLLS=3

NODE_URL=https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/nodes/$NODE_NAME
TAINT='{"key":"'$TAINT_KEY'","effect":"NoSchedule"}'

log() {
  echo "multus-node-readiness: $*"
}

# curl against the API server with the pod's token (read on every call: the kubelet rotates it).
# Its own user agent: the API server pretty-prints JSON for agents named curl.
api() {
  curl -sS -f --max-time 10 -A multus-node-readiness --cacert "$SA_DIR/ca.crt" \
    -H "Authorization: Bearer $(cat "$SA_DIR/token")" "$@"
}

multus_ready() {
  [ -f "$MULTUS_CONF" ] || return 1
  curl -sf --max-time 3 --unix-socket "$MULTUS_SOCKET" -o /dev/null http://multus/healthz
}

patch_node() {
  api -X PATCH -H 'Content-Type: application/json-patch+json' --data "$1" -o /dev/null "$NODE_URL"
}

# Reads the node; sets rv (its resourceVersion), taints (the inside of spec.taints) and has_taints.
read_node() {
  node=$(api "$NODE_URL") || return 1
  node=$(printf '%s' "$node" | tr -d ' \t\r\n')
  rv=$(printf '%s\n' "$node" | sed -n 's/.*"metadata":{.*"resourceVersion":"\([0-9]*\)".*/\1/p')
  [ -n "$rv" ] || return 1
  taints=$(printf '%s\n' "$node" | sed -n 's/.*"spec":{.*"taints":\[\([^]]*\)\].*/\1/p')
  case $node in
    *'"taints":['*) has_taints=yes ;;
    *) has_taints=no ;;
  esac
}

# 1-based position of our taint in spec.taints, or nothing. Taints hold no nested objects.
taint_position() {
  printf '%s\n' "$taints" | sed 's/},{/}\
{/g' | grep -nF '"key":"'"$TAINT_KEY"'"' | cut -d: -f1 | head -n 1
}

# Every patch first tests the resourceVersion it was computed from: a node changed meanwhile (the
# kubelet's status, someone's label) fails it with 422, and the next poll starts over.
untaint() {
  read_node || return 1
  at=$(taint_position)
  [ -n "$at" ] || return 0
  if patch_node '[{"op":"test","path":"/metadata/resourceVersion","value":"'"$rv"'"},{"op":"remove","path":"/spec/taints/'$((at - 1))'"}]'; then
    log "Multus is ready on $NODE_NAME: removed the $TAINT_KEY taint"
  else
    log "could not remove the $TAINT_KEY taint from $NODE_NAME; trying again"
    return 1
  fi
}

taint() {
  read_node || return 1
  [ -z "$(taint_position)" ] || return 0
  if [ "$has_taints" = yes ]; then
    op='{"op":"add","path":"/spec/taints/-","value":'$TAINT'}'
  else
    op='{"op":"add","path":"/spec/taints","value":['$TAINT']}'
  fi
  if patch_node '[{"op":"test","path":"/metadata/resourceVersion","value":"'"$rv"'"},'"$op"']'; then
    log "Multus is not ready on $NODE_NAME: added the $TAINT_KEY taint"
  else
    log "could not add the $TAINT_KEY taint to $NODE_NAME; trying again"
    return 1
  fi
}

sleeper=
# A background sleep and `wait`, so a signal is handled at once rather than after the sleep. The
# sleep holds none of the container's output: a TERM between `sleep &` and `sleeper=$!` leaves it
# unknown to stop, and it must not keep the output open for its hour after this script has exited.
pause() {
  sleep "$1" < /dev/null > /dev/null 2>&1 &
  sleeper=$!
  wait "$sleeper"
  sleeper=
}
stop() {
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  exit 0
}

trap stop TERM INT
log "watching $MULTUS_CONF and $MULTUS_SOCKET for node $NODE_NAME"
# Not ready at start means at once: after a reboot or an instance recovery the Node object is the old
# one, and the kubelet registers taints only with a new one, so nothing else puts the taint back.
failures=$((NOT_READY_POLLS - 1))
while :; do
  if multus_ready; then
    failures=0
    untaint
  else
    failures=$((failures + 1))
    if [ "$failures" -ge "$NOT_READY_POLLS" ]; then
      taint
    fi
  fi
  pause "$POLL_SECONDS"
done
