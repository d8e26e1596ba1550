#!/bin/sh
# udhcpc.sh: busybox udhcpc's script.  Configures the interface and
# records the lease in /run/pureboot/lease.<interface> for the agent.
# udhcpc passes: $1 = deconfig|bound|renew|nak|leasefail, and interface,
# ip, mask (prefix length), router, dns, serverid, lease in the
# environment.
set -eu
run=${PUREBOOT_RUN:-/run/pureboot}
iface=${interface:?}

case $1 in
deconfig)
	ip addr flush dev "$iface" 2>/dev/null || true
	ip link set "$iface" up
	rm -f "$run/lease.$iface"
	;;
bound|renew)
	ip addr flush dev "$iface"
	ip addr add "${ip:?}/${mask:-24}" dev "$iface"
	if [ -n "${router:-}" ]; then
		set -f
		for r in $router; do
			ip route add default via "$r" dev "$iface" 2>/dev/null && break
		done
		set +f
	fi
	if [ -n "${dns:-}" ]; then
		set -f
		for d in $dns; do printf 'nameserver %s\n' "$d"; done >/etc/resolv.conf
		set +f
	fi
	mkdir -p "$run"
	printf 'ip=%s\nmask=%s\nrouter=%s\nserverid=%s\nlease=%s\n' \
		"$ip" "${mask:-}" "${router:-}" "${serverid:-}" "${lease:-}" \
		>"$run/lease.$iface.tmp"
	mv "$run/lease.$iface.tmp" "$run/lease.$iface"
	;;
esac
exit 0
