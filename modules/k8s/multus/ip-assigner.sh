#!/bin/sh
# ip-assigner: the sidecar of every Multus pod. The VPC delivers a packet only to an address it
# knows on an ENI, so each address whereabouts gives the pod on a Multus interface must also be
# assigned to that interface's ENI in EC2. On start it reads the pod's Multus network-status
# annotation (downward API), finds each interface's ENI by MAC (ipvlan pods share the ENI's MAC) in
# a map Terraform writes from the ENIs it created, and assigns the addresses, taking them over from
# any other ENI (a pod that moved). It then marks itself started, which lets the app start, and on
# SIGTERM, after the app has stopped, unassigns them again.
#
# POSIX sh with tr, sed and grep only: it runs in the AWS CLI image, which has no jq.
#
# Environment:
#   STATUS_FILE          the network-status annotation, as a downward API file
#   ENI_MAP              lines "<mac> <eni-id>", one per Multus ENI of the cluster
#   EXPECTED_INTERFACES  how many Multus interfaces the pod has; it waits for all of them
#   STATE_DIR            writable; holds what was assigned, and `started` once all is assigned
#   POLL_SECONDS         wait between attempts
#
# No dollar-brace expansions anywhere: the script travels inside Terraform strings, where those
# would be read as interpolations.

[ -n "$STATUS_FILE" ] || STATUS_FILE=/etc/podinfo/network-status
[ -n "$ENI_MAP" ] || ENI_MAP=/etc/ip-assigner/interfaces
[ -n "$EXPECTED_INTERFACES" ] || EXPECTED_INTERFACES=1
[ -n "$STATE_DIR" ] || STATE_DIR=/tmp/ip-assigner
[ -n "$POLL_SECONDS" ] || POLL_SECONDS=2

ASSIGNED=$STATE_DIR/assigned
sleeper=

log() {
  echo "ip-assigner: $*"
}

# One line "<mac> <ipv4> [<ipv4> ...]" per Multus interface. The annotation is a JSON list whose
# entries start with "name"; the default network (the VPC CNI's eth0) is the one marked default.
multus_interfaces() {
  [ -s "$STATUS_FILE" ] || return 0
  { tr -d ' \t\r\n' < "$STATUS_FILE"; echo; } | sed 's/{"name":/\
&/g' | while IFS= read -r entry; do
    case $entry in
      *'"default":true'*) continue ;;
    esac
    mac=$(printf '%s\n' "$entry" | sed -n 's/.*"mac":"\([0-9A-Fa-f:]*\)".*/\1/p' | tr 'A-F' 'a-f')
    ips=$(printf '%s\n' "$entry" | sed -n 's/.*"ips":\[\([^]]*\)\].*/\1/p' | tr -d '"' | tr ',' '\n' | grep -E '^[0-9]+(\.[0-9]+){3}$' | tr '\n' ' ')
    if [ -n "$mac" ] && [ -n "$ips" ]; then
      echo "$mac $ips"
    fi
  done
}

eni_of() {
  tr 'A-F' 'a-f' < "$ENI_MAP" | while read -r mac eni; do
    if [ "$mac" = "$1" ]; then
      echo "$eni"
      return
    fi
  done
}

# Assigns every address of every Multus interface; fails (to be retried) until all are assigned.
assign_all() {
  multus_interfaces > "$STATE_DIR/interfaces"
  found=$(grep -c . "$STATE_DIR/interfaces")
  if [ "$found" -lt "$EXPECTED_INTERFACES" ]; then
    log "waiting for the network-status annotation to list $EXPECTED_INTERFACES Multus interface(s); $found so far"
    return 1
  fi
  while read -r mac ips; do
    eni=$(eni_of "$mac")
    if [ -z "$eni" ]; then
      log "MAC $mac is no Multus ENI of this cluster (not in $ENI_MAP); is the pod on a Multus node?"
      return 1
    fi
    # Unquoted on purpose: one argument per address.
    # shellcheck disable=SC2086
    if ! aws ec2 assign-private-ip-addresses --network-interface-id "$eni" --private-ip-addresses $ips --allow-reassignment; then
      log "could not assign $ips to $eni; trying again"
      return 1
    fi
    # Recorded as soon as done, so a stop in the middle still releases what was assigned.
    grep -qxF "$eni $ips" "$ASSIGNED" 2>/dev/null || echo "$eni $ips" >> "$ASSIGNED"
    log "assigned $ips to $eni ($mac)"
  done < "$STATE_DIR/interfaces"
  return 0
}

release_all() {
  [ -f "$ASSIGNED" ] || return 0
  while read -r eni ips; do
    # shellcheck disable=SC2086
    if aws ec2 unassign-private-ip-addresses --network-interface-id "$eni" --private-ip-addresses $ips; then
      log "unassigned $ips from $eni"
    else
      # Already taken over by the ENI of a pod that got the address since: nothing to undo.
      log "could not unassign $ips from $eni; left as it is"
    fi
  done < "$ASSIGNED"
  rm -f "$ASSIGNED"
}

stop() {
  # The signal may arrive while output goes to a state file: log to the container's output.
  exec 1>&3
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  log "stopping"
  release_all
  exit 0
}

# A background sleep and `wait`, so a signal is handled at once rather than after the sleep.
pause() {
  sleep "$1" &
  sleeper=$!
  wait "$sleeper"
  sleeper=
}

exec 3>&1
trap stop TERM INT
mkdir -p "$STATE_DIR"
rm -f "$STATE_DIR/started"
until assign_all; do
  pause "$POLL_SECONDS"
done
# The startup probe looks for this file; the app containers start only after it passes.
touch "$STATE_DIR/started"
log "all Multus addresses assigned"
while :; do
  pause 3600
done
