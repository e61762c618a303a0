#!/usr/bin/env bash
# WS-Discovery on one machine: route multicast (224.0.0.0/4) over loopback so ONVIF clients that
# probe 239.255.255.250 through the default route reach camera-sim's responders on 127.0.0.1.
# Needs CAP_NET_ADMIN; without it, clients must probe with the loopback interface (onvif: { device: 'lo' }).
set -u
command -v ip >/dev/null 2>&1 || exit 0
ip route show 224.0.0.0/4 2>/dev/null | grep -q 'dev lo' && exit 0
if ! ip route add 224.0.0.0/4 dev lo 2>/dev/null; then
  echo "[bootstrap] note: could not add the multicast route on lo (no CAP_NET_ADMIN?); WS-Discovery works only when probing on lo" >&2
fi
exit 0
