#!/bin/sh
# eip-associator: the sidecar of every public-IP pod. Each pod owns one Elastic IP, tagged with the
# pod (eks-custom-networking/pod = <namespace>/<pod>) and allocated by Terraform; this script gives it
# to the pod's current address, so the address follows the pod within seconds of every start.
#
# On start: it finds its Elastic IP by that tag (and the cluster's), then the network interface that
# holds the pod's address. The pod's node (status.hostIP) leads to its instance, and among that
# instance's interfaces the one with the pod's address as a secondary address or with the delegated
# /28 prefix the address lies in (prefix delegation: EC2 cannot look up an address inside a prefix
# directly). It associates the Elastic IP with that interface and address, taking it over from
# wherever it was (--allow-reassociation), reads the association back, and only then marks itself
# started, which lets the app start. Until then it retries, and says in its log what is missing.
#
# On SIGTERM (after the app has stopped) it disassociates the address, but only while it is still
# associated with this pod's address: another pod may have taken it over meanwhile.
#
# POSIX sh and the AWS CLI only (it runs in the AWS CLI image, which has no jq).
#
# Environment:
#   POD_NAME, POD_NAMESPACE, POD_IP, HOST_IP   the pod, its address, and its node's primary address
#   VPC_ID, CLUSTER_NAME   the environment's VPC, and the value of the Cluster tag on its resources
#   POD_TAG_KEY            the tag whose value is <namespace>/<pod> on the pod's Elastic IP
#   STATE_DIR              writable; holds what was associated, and `started` once it is
#   POLL_SECONDS           wait between attempts
#
# No dollar-brace expansions or percent-brace sequences anywhere: the script travels inside
# Terraform strings, where those would be read as interpolations or directives.

[ -n "$STATE_DIR" ] || STATE_DIR=/tmp/eip-associator
[ -n "$POLL_SECONDS" ] || POLL_SECONDS=3
[ -n "$POD_TAG_KEY" ] || POD_TAG_KEY=eks-custom-networking/pod

POD_KEY=$POD_NAMESPACE/$POD_NAME
ASSOCIATED=$STATE_DIR/associated
sleeper=
said=

log() {
  echo "eip-associator: $*"
}

# Logs a reason for waiting once, not on every attempt.
waiting() {
  if [ "$*" != "$said" ]; then
    log "$* (trying again every $POLL_SECONDS s; the app starts once the address is associated)"
    said=$*
  fi
}

# Every EC2 call: bounded, so neither a start nor a stop can hang on the network.
ec2() {
  aws ec2 "$@" --cli-connect-timeout 3 --cli-read-timeout 10 --output text < /dev/null
}

# The pod's Elastic IP: sets alloc and public_ip.
find_address() {
  found=$(ec2 describe-addresses \
    --filters "Name=tag:$POD_TAG_KEY,Values=$POD_KEY" "Name=tag:Cluster,Values=$CLUSTER_NAME" \
    --query 'Addresses[].[AllocationId,PublicIp]') || {
    waiting "could not list Elastic IPs (EC2 or credentials)"
    return 1
  }
  count=$(printf '%s\n' "$found" | grep -c '^eipalloc-')
  if [ "$count" -eq 0 ]; then
    waiting "no Elastic IP is tagged $POD_TAG_KEY=$POD_KEY in cluster $CLUSTER_NAME: is $POD_NAME in the addresses of its workload, and the workloads stack deployed?"
    return 1
  fi
  if [ "$count" -gt 1 ]; then
    waiting "$count Elastic IPs are tagged $POD_TAG_KEY=$POD_KEY in cluster $CLUSTER_NAME; expected one"
    return 1
  fi
  set -- $found
  alloc=$1 public_ip=$2
}

# The instance of this pod's node: the one whose interface holds the node's address in the VPC.
own_instance() {
  if [ -s "$STATE_DIR/instance" ]; then
    cat "$STATE_DIR/instance"
    return 0
  fi
  id=$(ec2 describe-network-interfaces \
    --filters "Name=vpc-id,Values=$VPC_ID" "Name=addresses.private-ip-address,Values=$HOST_IP" \
    --query 'NetworkInterfaces[0].Attachment.InstanceId') || return 1
  case $id in
    i-*) echo "$id" | tee "$STATE_DIR/instance" ;;
    *) return 1 ;;
  esac
}

# The /28 a VPC CNI prefix holding this address would be.
prefix28() {
  echo "$1" | {
    IFS=. read -r a b c d
    echo "$a.$b.$c.$((d / 16 * 16))/28"
  }
}

# The interface of the node holding the pod's address: sets eni.
find_interface() {
  if ! instance=$(own_instance); then
    waiting "found no instance with the node's address $HOST_IP in $VPC_ID"
    return 1
  fi
  prefix=$(prefix28 "$POD_IP")
  found=$(ec2 describe-network-interfaces --filters "Name=attachment.instance-id,Values=$instance" \
    --query "NetworkInterfaces[?PrivateIpAddresses[?PrivateIpAddress=='$POD_IP'] || Ipv4Prefixes[?Ipv4Prefix=='$prefix']].NetworkInterfaceId") || {
    waiting "could not list the network interfaces of $instance"
    return 1
  }
  set -- $(printf '%s\n' $found | grep '^eni-')
  if [ $# -eq 0 ]; then
    waiting "$POD_IP is neither a secondary address nor inside a delegated prefix ($prefix) of any network interface of $instance (node $HOST_IP): it cannot take an Elastic IP"
    return 1
  fi
  if [ $# -gt 1 ]; then
    waiting "$POD_IP matches $# network interfaces of $instance ($*); expected one"
    return 1
  fi
  eni=$1
}

associate() {
  find_address || return 1
  find_interface || return 1
  if ! ec2 associate-address --allocation-id "$alloc" --network-interface-id "$eni" \
    --private-ip-address "$POD_IP" --allow-reassociation --query AssociationId > /dev/null; then
    waiting "EC2 refused to associate $public_ip ($alloc) with $POD_IP on $eni"
    return 1
  fi
  # Recorded as soon as done, so a stop before the check still disassociates it.
  echo "$alloc $eni $public_ip" > "$ASSOCIATED"
  got=$(ec2 describe-addresses --allocation-ids "$alloc" --query 'Addresses[0].[NetworkInterfaceId,PrivateIpAddress]') || {
    waiting "could not read back the association of $public_ip"
    return 1
  }
  set -- $got
  if [ "$1" != "$eni" ] || [ "$2" != "$POD_IP" ]; then
    waiting "$public_ip reads back as associated with $2 on $1, not $POD_IP on $eni"
    return 1
  fi
  log "associated $public_ip ($alloc) with $POD_IP on $eni"
}

stop() {
  [ -n "$sleeper" ] && kill "$sleeper" 2>/dev/null
  log "stopping"
  if [ -s "$ASSOCIATED" ]; then
    read -r alloc eni public_ip < "$ASSOCIATED"
    if ! got=$(ec2 describe-addresses --allocation-ids "$alloc" \
      --query 'Addresses[0].[AssociationId,NetworkInterfaceId,PrivateIpAddress]'); then
      log "could not read $public_ip's association; left as it is"
    else
      set -- $got
      if [ "$2" = "$eni" ] && [ "$3" = "$POD_IP" ]; then
        if ec2 disassociate-address --association-id "$1" > /dev/null; then
          log "disassociated $public_ip from $POD_IP"
        else
          log "could not disassociate $public_ip from $POD_IP; left as it is"
        fi
      else
        log "left $public_ip alone: it is associated with $3 on $2 now, not with this pod's $POD_IP"
      fi
    fi
  fi
  exit 0
}

# A background sleep and `wait`, so a signal is handled at once rather than after the sleep. The
# sleep holds none of the container's output: a TERM between `sleep &` and `sleeper=$!` leaves it
# unknown to stop, and it must not keep the output open for its hour after this script has exited.
pause() {
  sleep "$1" < /dev/null > /dev/null 2>&1 &
  sleeper=$!
  wait "$sleeper"
  sleeper=
}

trap stop TERM INT
mkdir -p "$STATE_DIR"
rm -f "$STATE_DIR/started"
until associate; do
  pause "$POLL_SECONDS"
done
# The startup probe looks for this file; the app container starts only after it passes.
touch "$STATE_DIR/started"
while :; do
  pause 3600
done
