# shellcheck shell=sh
# storm.sh: the fleet of a boot storm, shared by scripts/bench-storm and
# the fault tests (t/lib-storm.sh).  Sourced after scripts/stack.sh.
#
# Pi i of run RUN (two hex digits): serial RUN + i as 6 hex digits, MAC
# 02:5b:RUN:..., address 127.(10 + i/62500).(i/250%250).(i%250+1) (any
# 127/8 address is on lo), model 3B+, 4, 5 in turn; of every 10 Pis 6
# active (fenced), 2 pending with workflow storm-img (they install), 1
# unknown (not in the database: it registers) and 1 discovered (told to
# wait).  $PB_STATE/pis.RUN has one Pi a line: ADDR MODEL SERIAL MAC KIND.

storm_workflow() {
	stack_psql <<'SQL'
UPDATE pureboot.settings SET value = '1000000' WHERE key = 'discovery_limit';
INSERT INTO pureboot.workflows (id, name, arch, definition) VALUES
 ('storm-img', 'storm image', 'aarch64',
  '{"id":"storm-img","name":"storm image","arch":"aarch64","install_method":"image","image_url":"http://10.0.0.1/img/${serial}.img.xz","image_sha256":"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","target_device":"/dev/mmcblk0"}');
SQL
}

# storm_seed RUN COUNT: every node replaced by the COUNT of run RUN.
storm_seed() {
	stack_psql -q -v run="$1" -v n="$2" >/dev/null <<'SQL'
DELETE FROM pureboot.nodes;
CREATE TEMP TABLE p AS
SELECT i, :'run' || lpad(to_hex(i), 6, '0') AS serial,
       ('02:5b:' || :'run' || ':' || substr(lpad(to_hex(i), 6, '0'), 1, 2) || ':' ||
        substr(lpad(to_hex(i), 6, '0'), 3, 2) || ':' || substr(lpad(to_hex(i), 6, '0'), 5, 2))::macaddr AS mac,
       (ARRAY['pi3+', 'pi4', 'pi5'])[i % 3 + 1] AS model,
       ('127.' || (10 + i / 62500) || '.' || (i / 250 % 250) || '.' || (i % 250 + 1))::inet AS addr,
       CASE WHEN i % 10 < 6 THEN 'active' WHEN i % 10 < 8 THEN 'pending'
            WHEN i % 10 = 8 THEN 'unknown' ELSE 'discovered' END AS kind
FROM generate_series(0, :n - 1) i;
INSERT INTO pureboot.nodes (serial, mac, arch, boot_mode, pi_model, known_addr, workflow_id)
SELECT serial, mac, 'aarch64', 'pi', model, addr,
       CASE WHEN kind IN ('active', 'pending') THEN 'storm-img' END
FROM p WHERE kind <> 'unknown';
SELECT count(pureboot.transition(n.id, s, 'storm'))
FROM p JOIN pureboot.nodes n USING (serial),
     unnest(CASE p.kind WHEN 'active' THEN ARRAY['pending', 'installing', 'installed', 'active']
                        WHEN 'pending' THEN ARRAY['pending'] END::pureboot.node_state[]) s;
SQL
	stack_psql -At -F ' ' -v run="$1" -v n="$2" >"$PB_STATE/pis.$1" <<'SQL'
SELECT host(('127.' || (10 + i / 62500) || '.' || (i / 250 % 250) || '.' || (i % 250 + 1))::inet),
       (ARRAY['pi3+', 'pi4', 'pi5'])[i % 3 + 1], :'run' || lpad(to_hex(i), 6, '0'),
       '02:5b:' || :'run' || ':' || substr(lpad(to_hex(i), 6, '0'), 1, 2) || ':' ||
        substr(lpad(to_hex(i), 6, '0'), 3, 2) || ':' || substr(lpad(to_hex(i), 6, '0'), 5, 2),
       CASE WHEN i % 10 < 6 THEN 'active' WHEN i % 10 < 8 THEN 'pending'
            WHEN i % 10 = 8 THEN 'unknown' ELSE 'discovered' END
FROM generate_series(0, :n - 1) i ORDER BY i
SQL
}

# storm_tree_ready RUN [after]: every node's directory as its state says:
# fenced (a zero-length start4.elf) or netbooting (config.txt).  With
# "after", as after the storm: the pending nodes installed (fenced).
storm_tree_ready() {
	str_root=$(stack_tftp_root)
	while read -r _ _ serial _ kind; do
		[ "${2:-}" != after ] || [ "$kind" != pending ] || kind=active
		case $kind in
		active)
			if [ ! -e "$str_root/$serial/start4.elf" ] || [ -s "$str_root/$serial/start4.elf" ]; then
				echo "$serial: not fenced" >&2
				return 1
			fi ;;
		pending|discovered)
			if [ ! -s "$str_root/$serial/config.txt" ]; then
				echo "$serial: no config.txt" >&2
				return 1
			fi ;;
		esac
	done <"$PB_STATE/pis.$1"
}
