#!/usr/bin/env bash
# netns.sh CMD [ARGS...] — runs CMD inside a fresh, private network namespace that has nothing
# but loopback, so no agent client started below it can reach any real address.
#
#   unshare --net --mount --propagation private   (+ --map-root-user when not root)
#   ip link set lo up
#   REFUSES (exit 3, loudly) if the namespace has any link other than lo, or an IPv4/IPv6
#   default route.
#
# In the same private mount namespace the invoking user's real home is covered with an empty
# tmpfs: every client gets a throwaway HOME anyway, and a scenario such as `rm -rf ~` that went
# wrong could then only ever empty that tmpfs. /etc/resolv.conf is pointed at 127.0.0.1, where
# the suite logs every name a client looks up. If either cannot be mounted, it refuses too.
# The test suite checks the namespace again itself (test/e2e/netns.ts) before it starts a client.
set -euo pipefail
if [ $# -lt 1 ]; then sed -n '2,12p' "$0" >&2; exit 2; fi
if [ -z "${FWGUARD_E2E_NETNS:-}" ]; then
  REAL_HOME=${HOME:-/root}
  if [ "$(id -u)" = 0 ]; then NS=(unshare --net --mount --propagation private)
  else NS=(unshare --map-root-user --net --mount --propagation private); fi
  if ! "${NS[@]}" true 2>/dev/null; then
    echo "fwguard e2e: REFUSING: cannot create a private network namespace here (${NS[*]} failed)." >&2
    echo "fwguard e2e: the real-client tests need unshare(CLONE_NEWNET); run them where that works, or skip them explicitly with FWGUARD_E2E=0." >&2
    exit 3
  fi
  exec "${NS[@]}" env FWGUARD_E2E_NETNS=1 FWGUARD_E2E_REAL_HOME="$REAL_HOME" bash "$0" "$@"
fi
ip link set lo up
links=$(ip -o link show | awk -F': ' '{print $2}' | tr '\n' ' ')
if [ "$links" != "lo " ] || [ -n "$(ip route show default)" ] || [ -n "$(ip -6 route show default)" ]; then
  echo "fwguard e2e: REFUSING to run: the namespace has links [$links] or a default route; agents must only ever see loopback." >&2
  exit 3
fi
if [ -n "${FWGUARD_E2E_REAL_HOME:-}" ] && [ -d "$FWGUARD_E2E_REAL_HOME" ]; then
  case $PWD/ in "$FWGUARD_E2E_REAL_HOME"/*)
    echo "fwguard e2e: REFUSING: the checkout ($PWD) is inside the real home ($FWGUARD_E2E_REAL_HOME), which the namespace hides; move FWGUARD_E2E_REAL_HOME out of the way or run from elsewhere." >&2
    exit 3 ;;
  esac
  if ! mount -t tmpfs -o size=16m,mode=700 fwguard-e2e-home "$FWGUARD_E2E_REAL_HOME"; then
    echo "fwguard e2e: REFUSING: could not cover the real home $FWGUARD_E2E_REAL_HOME with a tmpfs" >&2
    exit 3
  fi
fi
# Name lookups go to 127.0.0.1 (test/e2e/dns-log.ts answers NXDOMAIN and records each name), so a
# client that tries to phone home is seen, not just stopped. Only this mount namespace sees it.
if [ "$(cat /etc/resolv.conf 2>/dev/null | head -1)" != "nameserver 127.0.0.1" ]; then # (nested: already done)
  RESOLV=$(mktemp /tmp/fwguard-e2e-resolv.XXXXXX)
  printf 'nameserver 127.0.0.1\noptions attempts:1 timeout:1\n' > "$RESOLV"
  chmod 644 "$RESOLV"
  if ! mount --bind "$RESOLV" /etc/resolv.conf; then
    echo "fwguard e2e: REFUSING: could not point /etc/resolv.conf at the lookup logger" >&2
    exit 3
  fi
  rm -f "$RESOLV" # the bind mount keeps the file alive
fi
export FWGUARD_E2E_DNS_LOG=1
exec "$@"
