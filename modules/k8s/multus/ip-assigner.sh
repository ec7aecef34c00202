#!/bin/sh
# ip-assigner: the sidecar of every Multus pod. The VPC delivers a packet only to an address it
# knows on an ENI, so each address whereabouts gives the pod on a Multus interface must also be
# assigned to that interface's ENI in EC2.
#
# On start it looks at the pod's own network namespace (which the CNI has finished before any
# container starts): every expected interface (net1, net2, ...) must be there with an address of its
# network's range. If one is not, Multus did not attach the pod's networks (it was not ready on the
# node when the sandbox was made, or a sandbox remade after a reboot came up with eth0 only). A
# container restart never runs the CNI again, so the pod deletes itself (its Deployment makes a new
# one) rather than let the app run single-homed. Otherwise it finds each interface's ENI by MAC
# (ipvlan pods share the ENI's MAC) in the map Terraform writes, or, for a node the map does not
# know yet, by asking EC2 for the ENI with that MAC on its own instance; assigns the address, taking
# it over from any other ENI (a pod that moved); and then marks itself started, which lets the app
# start.
#
# On SIGTERM (after the app has stopped) it unassigns the addresses again, all at once, unless
# whereabouts has meanwhile given one to another pod (a force-deleted pod's address can go to a new
# pod on the same ENI before this runs): that address stays where it is.
#
# An interface of a public network has a fixed address, the primary of its ENI, which Terraform gave
# the ENI: its pool is "-". It is checked like the others, and never assigned or unassigned; a pod
# with only such interfaces makes no AWS call at all (and has no AWS credentials).
#
# POSIX sh with tr, sed, grep, sort and curl only: it runs in the AWS CLI image, which has no jq.
#
# Environment:
#   INTERFACES             "<ifname>,<first>,<last>,<pool>,<pool base>" per Multus interface: the
#                          range its address comes from, and whereabouts' IPPool of that range
#                          ("-" for a fixed address: first and last are that address)
#   ENI_MAP                lines "<mac> <eni-id>", one per Multus ENI Terraform knew of
#   POD_NAME, POD_NAMESPACE, POD_UID, HOST_IP   the pod, and its node's primary address
#   CLUSTER_NAME           the value of the Cluster tag on the cluster's interfaces
#   WHEREABOUTS_NAMESPACE  where whereabouts keeps its IPPools
#   SA_DIR                 this container's service-account token and CA bundle
#   NET_SYS, NET_PROC      /sys/class/net and /proc/net (tests point them elsewhere)
#   STATE_DIR              writable; holds what was assigned, and `started` once all is assigned
#   POLL_SECONDS           wait between attempts
#   DELETE_AFTER_SECONDS   wait before a pod without its interfaces deletes itself
#
# No dollar-brace expansions anywhere: the script travels inside Terraform strings, where those
# would be read as interpolations.

[ -n "$ENI_MAP" ] || ENI_MAP=/etc/ip-assigner/interfaces
[ -n "$STATE_DIR" ] || STATE_DIR=/tmp/ip-assigner
[ -n "$SA_DIR" ] || SA_DIR=/var/run/secrets/kubernetes.io/serviceaccount
[ -n "$NET_SYS" ] || NET_SYS=/sys/class/net
[ -n "$NET_PROC" ] || NET_PROC=/proc/net
[ -n "$WHEREABOUTS_NAMESPACE" ] || WHEREABOUTS_NAMESPACE=kube-system
[ -n "$POLL_SECONDS" ] || POLL_SECONDS=2
[ -n "$DELETE_AFTER_SECONDS" ] || DELETE_AFTER_SECONDS=15

API=https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT
ASSIGNED=$STATE_DIR/assigned
sleeper=

log() {
  echo "ip-assigner: $*"
}

# curl against the API server with this container's token (read on every call: the kubelet rotates it).
api() {
  curl -sS -f --max-time 5 -A ip-assigner --cacert "$SA_DIR/ca.crt" \
    -H "Authorization: Bearer $(cat "$SA_DIR/token")" "$@"
}

ip_number() {
  echo "$1" | {
    IFS=. read -r a b c d
    echo $(((a << 24) + (b << 16) + (c << 8) + d))
  }
}

in_range() {
  n=$(ip_number "$1")
  [ "$n" -ge "$(ip_number "$2")" ] && [ "$n" -le "$(ip_number "$3")" ]
}

# The IPv4 addresses of this network namespace: the leaves of the kernel's routing trie that are
# host LOCAL routes (what `ip -4 addr` would list; the image has no iproute).
local_addresses() {
  sed -n -e '/^ *|-- /{s/^ *|-- //;h;}' -e '/host LOCAL/{x;p;x;}' "$NET_PROC/fib_trie" | sort -u
}

# Writes "<ifname> <mac> <address> <pool> <base>" per expected interface that is there with an
# address of its range; sets `missing` to what is not.
check_interfaces() {
  : > "$STATE_DIR/interfaces"
  missing=
  locals=$(local_addresses)
  while read -r ifname first last pool base; do
    if [ ! -r "$NET_SYS/$ifname/address" ]; then
      missing="$missing $ifname (no such interface)"
      continue
    fi
    mac=$(tr 'A-F' 'a-f' < "$NET_SYS/$ifname/address")
    addr=
    for a in $locals; do
      if in_range "$a" "$first" "$last"; then
        addr=$a
        break
      fi
    done
    if [ -z "$addr" ]; then
      missing="$missing $ifname (no address in $first-$last)"
      continue
    fi
    echo "$ifname $mac $addr $pool $base" >> "$STATE_DIR/interfaces"
  done < "$STATE_DIR/expected"
  [ -z "$missing" ]
}

# The instance this pod runs on: the one whose primary interface has the node's address.
own_instance() {
  if [ -s "$STATE_DIR/instance" ]; then
    cat "$STATE_DIR/instance"
    return 0
  fi
  id=$(aws ec2 describe-network-interfaces \
    --filters "Name=addresses.private-ip-address,Values=$HOST_IP" "Name=tag:Cluster,Values=$CLUSTER_NAME" \
    --query 'NetworkInterfaces[0].Attachment.InstanceId' --output text < /dev/null) || return 1
  case $id in
    i-*) echo "$id" | tee "$STATE_DIR/instance" ;;
    *) return 1 ;;
  esac
}

# The ENI of a MAC: from the map, else (a node slot added after the map was written) from EC2,
# asking only for a Multus ENI attached to this pod's own instance.
eni_of() {
  eni=$(tr 'A-F' 'a-f' < "$ENI_MAP" | sed -n "s/^$1 //p" | head -n 1)
  if [ -n "$eni" ]; then
    echo "$eni"
    return 0
  fi
  instance=$(own_instance) || return 1
  eni=$(aws ec2 describe-network-interfaces \
    --filters "Name=attachment.instance-id,Values=$instance" "Name=mac-address,Values=$1" \
    "Name=tag:node.k8s.amazonaws.com/no_manage,Values=true" \
    --query 'NetworkInterfaces[0].NetworkInterfaceId' --output text < /dev/null) || return 1
  case $eni in
    eni-*) echo "$eni" ;;
    *) return 1 ;;
  esac
}

# Assigns every interface's address to its ENI; fails (to be retried) until all are assigned.
assign_all() {
  while read -r ifname mac addr pool base; do
    if [ "$pool" = - ]; then
      log "$addr on $ifname ($mac) is its ENI's own address, fixed by Terraform"
      continue
    fi
    if ! eni=$(eni_of "$mac"); then
      log "MAC $mac ($ifname) is in no Multus ENI of this cluster that the map or EC2 knows on this node; trying again"
      return 1
    fi
    if ! aws ec2 assign-private-ip-addresses --network-interface-id "$eni" --private-ip-addresses "$addr" \
      --allow-reassignment < /dev/null; then
      log "could not assign $addr to $eni; trying again"
      return 1
    fi
    # Recorded as soon as done, so a stop in the middle still releases what was assigned.
    grep -qxF "$eni $addr $pool $base" "$ASSIGNED" 2>/dev/null || echo "$eni $addr $pool $base" >> "$ASSIGNED"
    log "assigned $addr to $eni ($ifname, $mac)"
  done < "$STATE_DIR/interfaces"
  return 0
}

# Who whereabouts has given an address to: the podref of its allocation (offset from the pool's
# base) in the IPPool, or nothing when it is free. Fails when the pool cannot be read.
owner_of() {
  pool=$(api "$API/apis/whereabouts.cni.cncf.io/v1alpha1/namespaces/$WHEREABOUTS_NAMESPACE/ippools/$2") || return 1
  pool=$(printf '%s' "$pool" | tr -d ' \t\r\n')
  offset=$(($(ip_number "$1") - $(ip_number "$3")))
  printf '%s\n' "$pool" | sed -n 's/.*"allocations":{.*"'$offset'":{\([^}]*\)}.*/\1/p' |
    sed -n 's/.*"podref":"\([^"]*\)".*/\1/p'
}

release() {
  eni=$1 addr=$2
  if ! owner=$(owner_of "$addr" "$3" "$4"); then
    log "could not read whereabouts' pool $3; leaving $addr on $eni (the next pod given it takes it over)"
  elif [ -n "$owner" ] && [ "$owner" != "$POD_NAMESPACE/$POD_NAME" ]; then
    log "left $addr on $eni: whereabouts has given it to $owner"
  elif aws ec2 unassign-private-ip-addresses --network-interface-id "$eni" --private-ip-addresses "$addr" \
    --cli-connect-timeout 3 --cli-read-timeout 5; then
    log "unassigned $addr from $eni"
  else
    log "could not unassign $addr from $eni; left as it is"
  fi
}

delete_self() {
  api -X DELETE -H 'Content-Type: application/json' -o /dev/null \
    --data '{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"'"$POD_UID"'"}}' \
    "$API/api/v1/namespaces/$POD_NAMESPACE/pods/$POD_NAME"
}

stop() {
  # The signal may arrive while output goes to a state file: log to the container's output.
  exec 1>&3
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  log "stopping"
  # All at once: the grace period left after the app has stopped may be short.
  # It waits for these releases by PID, not for every child: a TERM that comes between `sleep &`
  # and `sleeper=$!` in pause leaves that sleep unknown here, and a bare `wait` would wait out its hour.
  releases=
  if [ -f "$ASSIGNED" ]; then
    while read -r eni addr pool base; do
      release "$eni" "$addr" "$pool" "$base" < /dev/null &
      releases="$releases $!"
    done < "$ASSIGNED"
    [ -z "$releases" ] || wait $releases
  fi
  exit 0
}

# A background sleep and `wait`, so a signal is handled at once rather than after the sleep. The
# sleep holds none of the container's output (fd 3, stop's copy of it, included): a TERM that comes
# before `sleeper` is set, or after it is cleared, leaves it unknown to stop, and it must not keep
# the output open for its hour after this script has exited.
pause() {
  sleep "$1" < /dev/null > /dev/null 2>&1 3>&- &
  sleeper=$!
  wait "$sleeper"
  sleeper=
}

idle() {
  while :; do
    pause 3600
  done
}

exec 3>&1
trap stop TERM INT
mkdir -p "$STATE_DIR"
rm -f "$STATE_DIR/started"
if [ -z "$INTERFACES" ]; then
  log "INTERFACES is empty: nothing to do"
  idle
fi
printf '%s\n' $INTERFACES | tr ',' ' ' > "$STATE_DIR/expected"
if ! check_interfaces; then
  log "this pod's network namespace lacks$missing: Multus did not attach its networks; deleting pod $POD_NAMESPACE/$POD_NAME in $DELETE_AFTER_SECONDS s so that it is made again"
  pause "$DELETE_AFTER_SECONDS"
  until delete_self; do
    log "could not delete pod $POD_NAMESPACE/$POD_NAME; trying again"
    pause "$POLL_SECONDS"
  done
  log "deleted pod $POD_NAMESPACE/$POD_NAME"
  idle
fi
until assign_all; do
  pause "$POLL_SECONDS"
done
# The startup probe looks for this file; the app containers start only after it passes.
touch "$STATE_DIR/started"
log "all Multus addresses assigned"
idle
