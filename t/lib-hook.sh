# shellcheck shell=sh
# t/lib-hook.sh: helpers for the TFTP hook tests (t/06xx, t/07xx), on
# top of t/lib.sh: a TFTP root with the real firmware, nodes in any
# state, and real dnsmasq / tftp-hpa in network namespaces of our own.

HOOK=$PB_BUILD/pureboot-tftp-hook
PBTFTP=$PB_BUILD/pb-tftp

# hook_root DIR: the firmware from the cache (scripts/firmware fetches
# it once) and placeholder deploy files (kernel8.img for Pis, the raw
# Image for U-Boot and UEFI boards); the real ones come from `make
# initramfs`.
hook_root() {
	mkdir -p "$1/deploy-arm64" || return 1
	if ! "$PB_TOP/scripts/firmware" install "$1" 2>"$TRASH/.firmware.log"; then
		cat "$TRASH/.firmware.log" >&2
		return 1
	fi
	printf 'placeholder arm64 kernel\n' >"$1/deploy-arm64/kernel8.img" &&
	printf 'placeholder raw arm64 Image\n' >"$1/deploy-arm64/Image" &&
	printf 'placeholder initramfs\n' >"$1/deploy-arm64/initramfs.img" &&
	chmod 0644 "$1/deploy-arm64/kernel8.img" "$1/deploy-arm64/Image" \
		"$1/deploy-arm64/initramfs.img" &&
	chmod 0755 "$1" "$1/deploy-arm64"
}

hook_sync() {
	"$HOOK" -n -d "$PB_DB_HOOK" -r "$1" sync
}

# The transitions from discovered to each state.
state_path() {
	case $1 in
	discovered) echo "" ;;
	pending) echo "pending" ;;
	installing) echo "pending installing" ;;
	install_failed) echo "pending installing install_failed" ;;
	installed) echo "pending installing installed" ;;
	active) echo "pending installing installed active" ;;
	reprovision) echo "pending installing installed active reprovision" ;;
	deprovisioning) echo "pending installing installed active deprovisioning" ;;
	migrating) echo "pending installing installed active migrating" ;;
	serving_source) echo "pending installing installed active serving_source" ;;
	cloning_target) echo "cloning_target" ;;
	retired) echo "retired" ;;
	*) return 1 ;;
	esac
}

ALL_STATES="discovered pending installing install_failed installed active
reprovision deprovisioning migrating serving_source cloning_target retired"
ALL_MODELS="pi3 pi3+ cm3 pi4 pi400 cm4 pi5 cm5 pi500"

# Must boot from local storage (no NFS workflow).
state_fenced() {
	case $1 in installed|active|migrating|serving_source) return 0 ;; esac
	return 1
}

# node_add SERIAL MAC MODEL STATE [WORKFLOW]: prints the node id.
node_add() {
	id=$(db_psql -c "INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model, workflow_id)
		VALUES ('$1', '$2', 'aarch64', 'pi', '$3', NULLIF('${5:-}', '')) RETURNING id") || return 1
	for s in $(state_path "$4"); do
		db_psql -c "SELECT 1 FROM pureboot.transition('$id', '$s', 'test')" >/dev/null || return 1
	done
	echo "$id"
}

# board_add MAC BOOT_MODE BOARD STATE: a U-Boot or UEFI node named by
# its MAC (no serial), as POST /nodes makes one; prints the node id.
board_add() {
	id=$(db_psql -c "INSERT INTO pureboot.nodes (mac, arch, boot_mode, board)
		VALUES ('$1', 'aarch64', '$2', NULLIF('$3', '')) RETURNING id") || return 1
	for s in $(state_path "$4"); do
		db_psql -c "SELECT 1 FROM pureboot.transition('$id', '$s', 'test')" >/dev/null || return 1
	done
	echo "$id"
}

# board_readd NAME MAC BOOT_MODE BOARD STATE: the node NAME (its id in
# ./NAME.id) made again in STATE (the state machine has no way back to
# every state).
board_readd() {
	[ ! -s "$1.id" ] || db_psql -c "DELETE FROM pureboot.nodes WHERE id = '$(cat "$1.id")'" || return 1
	board_add "$2" "$3" "$4" "$5" >"$1.id"
}

# hook_dtb ROOT DTB: DTB (rockchip/rk3399-rock-pi-4b.dtb) from the
# cached Debian arm64 kernel package into ROOT/dtbs/, as the DTB store
# holds it; without the package (no make initramfs yet) QEMU's own
# tree stands in under that name.  Either passes pb_fdt_check.
hook_dtb() {
	deb=$(find "${PB_DEB_CACHE:-/var/cache/pureboot/debs}" -maxdepth 1 \
		-name 'linux-image-*-arm64_*_arm64.deb' 2>/dev/null | sort -V | tail -n 1)
	mkdir -p "$1/dtbs/${2%/*}" || return 1
	if [ -n "$deb" ]; then
		rm -rf "$TRASH/.deb" && mkdir "$TRASH/.deb" &&
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$TRASH/.deb" --wildcards "./usr/lib/linux-image-*/$2" &&
		cp "$TRASH"/.deb/usr/lib/linux-image-*/"$2" "$1/dtbs/$2" || return 1
	else
		echo "# no cached kernel .deb: QEMU's own device tree stands in for $2" >&2
		qemu-system-aarch64 -M virt,dumpdtb="$1/dtbs/$2" -display none >/dev/null 2>&1 || return 1
	fi
	chmod 0644 "$1/dtbs/$2" && "$PB_BUILD/pb-fdt-check" "$1/dtbs/$2"
}

# The per-MAC file names of a board MAC (52:54:00:12:34:56).
board_pxe() { echo "pxelinux.cfg/01-$(echo "$1" | tr : -)"; }
board_grub() { echo "grub/grub.cfg-01-$(echo "$1" | tr : -)"; }

# --- network namespaces ------------------------------------------------
# One server namespace (dnsmasq on 10.66.0.1, tftp-hpa on 10.66.0.2) and
# one client namespace joined by a veth pair; each client is a macvlan
# on the client side with the MAC of the node it plays.
NS_S=pbh-$$-s
NS_C=pbh-$$-c

# Call net_atexit at the top of the test file (test_atexit does not
# work from inside a test body, which runs in a subshell).
net_atexit() {
	test_atexit net_down
}

net_up() {
	ip netns add "$NS_S" && ip netns add "$NS_C" &&
	ip link add "pbv$$" type veth peer name "pbc$$" &&
	ip link set "pbv$$" netns "$NS_S" && ip link set "pbc$$" netns "$NS_C" &&
	ip -n "$NS_S" link set lo up && ip -n "$NS_C" link set lo up &&
	ip -n "$NS_S" link set "pbv$$" name vs && ip -n "$NS_C" link set "pbc$$" name vc &&
	ip -n "$NS_S" addr add 10.66.0.1/16 dev vs &&
	ip -n "$NS_S" addr add 10.66.0.2/16 dev vs &&
	ip -n "$NS_S" link set vs up && ip -n "$NS_C" link set vc up &&
	# For requests that need no particular MAC.
	ip -n "$NS_C" addr add 10.66.0.254/16 dev vc
}

net_down() {
	for p in "$TRASH"/*.srv.pid; do
		[ -s "$p" ] && kill "$(cat "$p")" 2>/dev/null
	done
	ip netns del "$NS_S" 2>/dev/null
	ip netns del "$NS_C" 2>/dev/null
	return 0
}

# client_add N MAC [nofence]: a client with address 10.66.1.N (N 2-250)
# or 10.66.2.(N-250).  The server learns its MAC before it asks, as a
# real ARP exchange would teach it; "unknown" leaves the server's
# neighbour table without it (dnsmasq's fail-open case).
client_ip() {
	if [ "$1" -le 250 ]; then echo "10.66.1.$1"; else echo "10.66.2.$(($1 - 250))"; fi
}
client_add() {
	ip=$(client_ip "$1")
	ip -n "$NS_C" link add link vc name "m$1" type macvlan mode bridge &&
	ip -n "$NS_C" link set "m$1" address "$2" &&
	ip -n "$NS_C" addr add "$ip/16" dev "m$1" &&
	ip -n "$NS_C" link set "m$1" up || return 1
	if [ "${3:-}" = unknown ]; then
		# The client will not ARP for the servers either.
		smac=$(ip -n "$NS_S" -br link show vs | awk '{print $3}')
		ip -n "$NS_C" neigh replace 10.66.0.1 lladdr "$smac" dev "m$1" nud permanent &&
		ip -n "$NS_C" neigh replace 10.66.0.2 lladdr "$smac" dev "m$1" nud permanent
	else
		ip -n "$NS_S" neigh replace "$ip" lladdr "$2" dev vs nud permanent
	fi
}

# dnsmasq_start ROOT [extra args]: TFTP only (no DNS, no DHCP here).
dnsmasq_start() {
	r=$1
	shift
	ip netns exec "$NS_S" dnsmasq --conf-file=/dev/null --keep-in-foreground \
		--port=0 --listen-address=10.66.0.1 --bind-interfaces \
		--enable-tftp --tftp-root="$r" --tftp-unique-root=mac \
		--log-facility="$TRASH/dnsmasq.log" --pid-file= "$@" \
		>>"$TRASH/dnsmasq.out" 2>&1 &
	echo $! >"$TRASH/dnsmasq.srv.pid"
	tftp_wait 10.66.0.1
}

tftpd_start() {
	ip netns exec "$NS_S" in.tftpd --foreground --listen --secure \
		--address 10.66.0.2:69 --user nobody "$1" \
		>>"$TRASH/tftpd.out" 2>&1 &
	echo $! >"$TRASH/tftpd.srv.pid"
	tftp_wait 10.66.0.2
}

# Until the server answers (a not-found counts as an answer).
tftp_probe() {
	out=$(ip netns exec "$NS_C" "$PBTFTP" "$1" get .pb-probe 2>"$TRASH/.probe-err")
	case $out in "not served"*) return 0 ;; esac
	printf '%s\n' "$out"
	cat "$TRASH/.probe-err"
	return 1
}
tftp_wait() {
	wait_for "the TFTP server on $1 to answer" 60 tftp_probe "$1" >&2
}

# client N SERVER_IP ARGS...: pb-tftp from client N.
client() {
	n=$1 srv=$2
	shift 2
	ip netns exec "$NS_C" "$PBTFTP" -b "$(client_ip "$n")" "$srv" "$@"
}
