# shellcheck shell=sh
# shellcheck disable=SC2154 # pb_run, pb_re_* and friends are set by lib.sh
# node.sh: who this board is and how it reaches the server: modules,
# network, serial, model, MAC.  Sourced after lib.sh, never run.

# Load the modules the hardware asks for: every modalias in sysfs, again
# and again, because loading a bus driver (USB, PCIe) reveals devices.
pb_coldplug() {
	find /sys/devices -name modalias -type f 2>/dev/null |
		while read -r f; do cat "$f" 2>/dev/null; done |
		sort -u | xargs -r modprobe -a -q -b 2>/dev/null || true
}

# Interfaces that may lead to the server: everything but loopback.
pb_ifaces() {
	for i in /sys/class/net/*; do
		n=${i##*/}
		[ "$n" = lo ] || printf '%s\n' "$n"
	done
}

# DHCP on the first interface that gets a lease; $pb_run/iface names it.
# udhcpc stays in the background and renews the lease (an image can take
# longer than a lease).  Bounded by pureboot.net_timeout (default 120 s).
pb_net_up() {
	if [ -s "$pb_run/iface" ] && [ -s "$pb_run/lease.$(cat "$pb_run/iface")" ]; then
		return 0
	fi
	ip link set lo up 2>/dev/null || true
	limit=$(pb_cmdline net_timeout || echo 120)
	pb_match "$limit" '[0-9]{1,4}' || limit=120
	start=$(pb_uptime)
	while [ $(($(pb_uptime) - start)) -lt "$limit" ]; do
		pb_coldplug
		for i in $(pb_ifaces); do
			ip link set "$i" up 2>/dev/null || continue
			pb_log "network: DHCP on $i"
			if udhcpc -i "$i" -n -t 4 -T 2 -A 2 -S -x hostname:pureboot \
				-s "$pb_lib/udhcpc.sh" -p "$pb_run/udhcpc.$i.pid" >/dev/null 2>&1 &&
				[ -s "$pb_run/lease.$i" ]; then
				printf '%s\n' "$i" >"$pb_run/iface"
				pb_log "network: $i is $(sed -n 's/^ip=//p' "$pb_run/lease.$i")"
				return 0
			fi
		done
		sleep 1
	done
	pb_log "network: no lease on any interface ($(pb_ifaces | tr '\n' ' ')) in $limit s"
	return 1
}

pb_ip() { sed -n 's/^ip=//p' "$pb_run/lease.$(cat "$pb_run/iface")"; }
pb_mac() { cat "/sys/class/net/$(cat "$pb_run/iface")/address"; }

# The low 8 hex digits of the board serial, as the bootloader uses it:
# the device tree, else /proc/cpuinfo, else pureboot.serial= (QEMU has
# no board serial).  pb_is_pi says quietly whether there is one: a
# board without is a U-Boot or UEFI board, named by its MAC.
pb_is_pi() { pb_serial >/dev/null 2>&1; }
pb_serial() {
	s=""
	if [ -r /proc/device-tree/serial-number ]; then
		s=$(tr -d '\000' </proc/device-tree/serial-number)
	fi
	if [ -z "$s" ]; then
		s=$(sed -n 's/^Serial[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
	fi
	if [ -z "$s" ] || [ "$s" = 0000000000000000 ]; then
		s=$(pb_cmdline serial || true)
	fi
	s=$(printf '%s' "$s" | tr 'A-F' 'a-f')
	s=${s#"${s%????????}"}
	pb_match "$s" '[0-9a-f]{8}' || { [ -z "$s" ] || pb_log "serial \"$s\" is not 8 hex digits"; return 1; }
	printf '%s\n' "$s"
}

# /proc/device-tree/model as the database's model name.
pb_model_name() {
	case $1 in
	"Raspberry Pi 3 Model B Plus"*|"Raspberry Pi 3 Model A Plus"*) echo 'pi3+' ;;
	"Raspberry Pi 3 Model B"*) echo pi3 ;;
	"Raspberry Pi Compute Module 3"*) echo cm3 ;;
	"Raspberry Pi 400"*) echo pi400 ;;
	"Raspberry Pi 4"*) echo pi4 ;;
	"Raspberry Pi Compute Module 4"*) echo cm4 ;;
	"Raspberry Pi 500"*) echo pi500 ;;
	"Raspberry Pi 5"*) echo pi5 ;;
	"Raspberry Pi Compute Module 5"*) echo cm5 ;;
	*) return 1 ;;
	esac
}

pb_model() {
	m=""
	[ -r /proc/device-tree/model ] && m=$(tr -d '\000' </proc/device-tree/model)
	if pb_model_name "$m"; then return 0; fi
	o=$(pb_cmdline model || true)
	case $o in
	pi3|pi3+|cm3|pi4|pi400|cm4|pi5|cm5|pi500) echo "$o"; return 0 ;;
	esac
	pb_log "model \"$m\" is not a known Raspberry Pi"
	return 1
}

# A board that is not a Pi: how its firmware booted it (UEFI leaves
# /sys/firmware/efi behind; else U-Boot, the only other way to the
# deploy kernel over the network) and its model, from the device tree or
# DMI (UEFI boards with ACPI), as printable ASCII.
pb_board_boot_mode() {
	if [ -d /sys/firmware/efi ]; then echo uefi; else echo uboot; fi
}
pb_board_model() {
	m=""
	[ -r /proc/device-tree/model ] && m=$(tr -d '\000' </proc/device-tree/model)
	[ -n "$m" ] || [ ! -r /sys/class/dmi/id/product_name ] ||
		m=$(cat /sys/class/dmi/id/product_name)
	printf '%s' "$m" | tr -c 'A-Za-z0-9 ._,()/+-' '-' | cut -c1-64
}

# The model as a query value: only the bytes pb_board_model keeps, so
# only space, '+' and '/' need escaping.
pb_query_escape() {
	printf '%s' "$1" | sed 's/%/%25/g; s/ /%20/g; s/+/%2B/g; s/\//%2F/g'
}

# pb_register API BODY MAX: POST BODY to register-pi until the server
# takes it, waiting 2, 4, 8 ... s (at most MAX) between tries.  A 409 is
# the server refusing this node, not a fault to hammer through: its
# serial is known at another address, or its MAC belongs to another
# node.  It is said once (busybox wget gives the status line, not the
# JSON message), then asked again with the same backoff, quietly, until
# an operator or a DHCP lease settles it.
pb_register() {
	rg_wait=2 rg_said=""
	# shellcheck disable=SC2034 # read by pb_http_post (lib.sh)
	pb_http_quiet=1
	until pb_http_post "$1/nodes/register-pi" "$2" >/dev/null; do
		rg_err=$(tr '\n' ' ' <"$pb_run/http.err" | cut -c1-200)
		if [ "$pb_http_status" = 409 ]; then
			[ "$rg_said" = 409 ] ||
				pb_log "register-pi refused by the server (409 conflict: $rg_err): this serial is known at another address, or this MAC belongs to another node; nothing changed on the server, which records it as an agent_refused event. Asking again with backoff up to $3 s"
			rg_said=409
		else
			pb_log "register-pi failed ($rg_err), next try in about $rg_wait s"
			rg_said=""
		fi
		pb_sleep_jitter "$rg_wait"
		rg_wait=$((rg_wait * 2))
		[ "$rg_wait" -le "$3" ] || rg_wait=$3
	done
	# shellcheck disable=SC2034
	pb_http_quiet=""
}
