#!/bin/sh
test_description='agent endpoints fuzzed from an outsider address (issue 10): 1,200 random register-pi, boot/pi, events, installed and install requests leave the database and the TFTP tree as they were, but for the refusals recorded'
. "${0%/*}/lib.sh"
. "$PB_TOP/t/lib-api.sh"
. "$PB_TOP/t/lib-hook.sh"
api_start
api_operator

# What the outsider may change, and nothing else:
# - node_events rows of type agent_refused whose addr is the outsider's
#   (at most one a minute per node and endpoint), and with them the
#   node_events id sequence;
# - nothing in the TFTP tree.
# New serials are refused (discovery_limit 0: 503), so the set of nodes
# is fixed; what an outsider can create within the limits is t/0480's.
# Nothing is counted elsewhere: the rate limits count rows.
EVIL=127.0.0.66
N=${PB_FUZZ_N:-1200}
SEED=${PB_FUZZ_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d " ")}
SHA=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
root=$TRASH/tftp
test_atexit 'kill "$(cat "$TRASH/watch.pid")" 2>/dev/null'

tr_sql() {
	printf "SELECT pureboot.transition(id, :'t', 'test') FROM pureboot.nodes WHERE serial = :'s'\n" |
		db_psql -v s="$1" -v t="$2" >/dev/null
}

# Every table of the schema as pg_dump writes its rows, node_events
# without the outsider's refusals and without its id sequence (and
# without the random key of pg_dump's \restrict line).
db_dump() {
	pg_dump -d "$PUREBOOT_DB" --data-only --schema=pureboot \
		-T pureboot.node_events -T pureboot.node_events_id_seq |
		grep -v -e "^--" -e "^\\\\restrict " -e "^\\\\unrestrict " &&
	printf "COPY (SELECT * FROM pureboot.node_events WHERE NOT (type = 'agent_refused' AND payload->>'addr' = :'a') ORDER BY id) TO STDOUT\n" |
		db_psql -v a="$EVIL"
}

# more_reconciles N: the hook has logged more than N reconciles.
more_reconciles() {
	test "$(grep -c "reconcile: " "$TRASH/watch.log")" -gt "$1"
}

# The TFTP tree: every name, type, mode, link target and content.
tree_snap() {
	(cd "$root" && find . -printf "%p %y %m %l\n" | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
}

test_expect_success 'setup: the hook watching; nodes in each agent-facing state, registered from their own addresses' '
	hook_root "$root" &&
	"$HOOK" -n -d "$PUREBOOT_DB" -r "$root" -i 3600 watch 2>"$TRASH/watch.log" &
	echo $! >"$TRASH/watch.pid" &&
	wf_add pi-img aarch64 "{\"install_method\":\"image\",\"image_url\":\"http://10.9.8.7/\${serial}.img.xz\",\"image_sha256\":\"$SHA\",\"target_device\":\"/dev/mmcblk0\",\"post_install\":[{\"ssh_keys\":{\"password_hash\":\"\$6\$s\$fuzzsecret\",\"keys\":[\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKY8KN2blp860xz/mBlQaK9FcMrh8hiFsVWBj6eCdhAA\"]}}]}" &&
	i=1 &&
	for s in 0f000001 0f000002 0f000003 0f000004 0f000005; do
		printf "{\"serial\":\"%s\",\"mac\":\"dc:a6:32:0f:00:0%s\",\"model\":\"pi4\"}\n" $s $i >reg.json &&
		api_body_from 127.0.0.3$i POST /api/v1/nodes/register-pi reg.json >out &&
		test "$(cut -d" " -f1 out)" = 201 &&
		i=$((i + 1)) || return 1
	done &&
	db_psql -c "UPDATE pureboot.nodes SET workflow_id = '"'"'pi-img'"'"' WHERE serial <> '"'"'0f000001'"'"'" &&
	tr_sql 0f000002 pending &&
	tr_sql 0f000003 pending &&
	api_from 127.0.0.33 GET "/api/v1/boot/pi?serial=0f000003" >out &&
	jget out .token >token &&
	for s in 0f000004 0f000005; do
		tr_sql $s pending && tr_sql $s installing && tr_sql $s installed || return 1
	done &&
	tr_sql 0f000005 active &&
	db_psql -c "UPDATE pureboot.settings SET value = '"'"'0'"'"' WHERE key = '"'"'discovery_limit'"'"'" &&
	db_psql -c "SELECT serial || '"'"' '"'"' || id || '"'"' '"'"' || mac FROM pureboot.nodes ORDER BY serial" >nodes &&
	test "$(db_psql -c "SELECT string_agg(state::text, '"'"' '"'"' ORDER BY serial) FROM pureboot.nodes")" = "discovered pending installing installed active" &&
	# The settings change makes the hook reconcile all five.
	until_ok has "$TRASH/watch.log" "reconcile: 5 nodes"
'

# The requests: a curl config of N transfers, all from EVIL, made by a
# seeded generator (the seed is printed: PB_FUZZ_SEED repeats a run).
cat >"$TRASH/fuzz.pl" <<'PERL'
use strict;
use warnings;
my ($n, $seed, $url, $addr, $nodes, $token) = @ARGV;
srand($seed);
my (@serial, @id, @mac);
open(my $fh, '<', $nodes) or die "$nodes: $!";
while (<$fh>) { chomp; my @f = split / /; push @serial, $f[0]; push @id, $f[1]; push @mac, $f[2]; }
open($fh, '<', $token) or die "$token: $!";
my $tok = <$fh>; chomp $tok;
my ($tid) = $tok =~ /^pbi1\.([0-9a-f]{16})\./;
sub pick { $_[int(rand(@_))] }
sub hex_ { my $s = ''; $s .= sprintf('%x', int(rand(16))) for 1 .. $_[0]; $s }
sub b64u { my @c = ('A'..'Z', 'a'..'z', '0'..'9', '-', '_'); join('', map { pick(@c) } 1 .. $_[0]) }
sub junk {
	my $s = '';
	$s .= chr(pick(32 .. 126, 0x80 .. 0xff, 9)) for 1 .. int(rand($_[0] // 40));
	$s
}
sub serial { pick(@serial, @serial, hex_(8), uc(pick(@serial)), hex_(7), junk(12), '') }
sub mac { pick(@mac, @mac, join(':', map { hex_(2) } 1 .. 6), junk(20), 'dc-a6-32-0f-00-01', '') }
sub node { pick(@id, @id, @id, '00000000-0000-4000-8000-' . hex_(12), junk(10), 'register-pi') }
sub token {
	pick('', "pbi1.$tid." . b64u(43), 'pbi1.' . hex_(16) . '.' . b64u(43),
	     'pb1.' . hex_(12) . '.' . b64u(43), "pbi1.$tid." . b64u(42), junk(30),
	     substr($tok, 0, -1) . pick('A', 'B'))
}
sub jstr { my $s = shift; $s =~ s/(["\\])/\\$1/g; $s =~ s/\t/\\t/g; "\"$s\"" }
sub event {
	pick('{"type":"install_failed","reason":"x"}', '{"type":"first_boot"}',
	     '{"type":"install_progress","bytes":' . int(rand(1e9)) . '}',
	     '{"type":"heartbeat"}', '{"type":' . jstr(junk(10)) . '}',
	     '{"type":"install_complete","x":1}', junk(60), '', '[]', '{}')
}
sub register {
	my %b;
	$b{serial} = jstr(serial()) if rand() < 0.95;
	$b{mac} = jstr(mac()) if rand() < 0.9;
	$b{model} = jstr(pick('pi4', 'pi3', 'pi5', junk(8))) if rand() < 0.5;
	$b{ip_address} = jstr(pick('10.0.0.' . int(rand(256)), junk(10))) if rand() < 0.5;
	$b{jstr(junk(6))} = '1' if rand() < 0.05;
	my $j = '{' . join(',', map { "\"$_\":$b{$_}" =~ s/^""(.*)"":/"$1":/r } sort keys %b) . '}';
	rand() < 0.05 ? junk(80) : $j
}
# curl config quoting: backslash and double quote escaped.
sub cq { my $s = shift; $s =~ s/([\\"])/\\$1/g; "\"$s\"" }
sub qs {
	my $s = shift;
	$s =~ s/([^A-Za-z0-9._~-])/sprintf('%%%02X', ord($1))/ge;
	$s
}
sub query {
	my @p;
	push @p, 'serial=' . qs(serial()) if rand() < 0.95;
	push @p, 'mac=' . qs(mac()) if rand() < 0.6;
	push @p, 'format=' . pick('env', 'json', qs(junk(6))) if rand() < 0.5;
	push @p, qs(junk(5)) . '=1' if rand() < 0.05;
	join('&', @p)
}
for my $i (1 .. $n) {
	my $e = pick(qw(register boot boot events installed install install));
	my ($m, $path, $body, $t) = ('GET', '', undef, undef);
	if ($e eq 'register') { ($m, $path, $body) = ('POST', '/api/v1/nodes/register-pi', register()) }
	elsif ($e eq 'boot') { $path = '/api/v1/boot/pi?' . query() }
	elsif ($e eq 'events') { ($m, $path, $body, $t) = ('POST', '/api/v1/nodes/' . qs(node()) . '/events', event(), token()) }
	elsif ($e eq 'installed') { ($m, $path, $body, $t) = ('POST', '/api/v1/nodes/' . qs(node()) . '/installed', pick('{}', '', junk(20)), token()) }
	else { ($m, $path, $t) = ('GET', '/api/v1/nodes/' . qs(node()) . '/install' . pick('', '?format=env', '?format=' . qs(junk(4))), token()) }
	print "url = ", cq("$url$path"), "\n", "request = $m\n", "interface = $addr\n",
	      "output = /dev/null\n", "write-out = ", cq("%{http_code} $e\\n"), "\n";
	print "header = ", cq("Authorization: Bearer $t"), "\n" if defined $t && $t ne '' && $t !~ /[\r\n]/;
	if (defined $body) {
		print "header = \"Content-Type: application/json\"\n";
		print "data-binary = ", cq($body), "\n";
	}
	print "next\n" if $i < $n;
}
PERL

test_expect_success "$N random agent requests from an outsider (seed $SEED): nothing but refusals recorded, the tree untouched" '
	db_dump >db.before &&
	tree_snap >tree.before &&
	perl "$TRASH/fuzz.pl" "$N" "$SEED" "$PB_URL" $EVIL nodes token >fuzz.conf &&
	test "$(grep -c "^url = " fuzz.conf)" = "$N" &&
	start=$(date +%s) &&
	curl -s --parallel --parallel-max 8 --config fuzz.conf >codes &&
	echo "# $(($(date +%s) - start)) s for $N requests" &&
	test "$(wc -l <codes)" = "$N" &&
	sort codes | uniq -c | sed "s/^/# /" &&
	# Every answer is a refusal or a read: no 2xx that writes, no 500.
	! grep -v -e "^40[0-9] " -e "^429 " -e "^503 register" -e "^503 boot" -e "^200 boot" codes &&
	# A reconcile, asked for after the last request, comes after the
	# hook acted on anything the requests made it hear, and finds
	# nothing to write.
	grep -c "reconcile: " "$TRASH/watch.log" >r.before &&
	db_psql -c "SELECT pg_notify('"'"'pureboot_changes'"'"', '"'"'settings'"'"')" >/dev/null &&
	until_ok more_reconciles "$(cat r.before)" &&
	tail -n 1 "$TRASH/watch.log" | grep "reconcile: 5 nodes, 0 written" &&
	db_dump >db.after &&
	test_cmp db.before db.after &&
	tree_snap >tree.after &&
	test_cmp tree.before tree.after &&
	printf "SELECT count(*) FROM pureboot.node_events WHERE type = '"'"'agent_refused'"'"' AND payload->>'"'"'addr'"'"' = :'"'"'a'"'"'\n" |
		db_psql -v a=$EVIL >n && test "$(cat n)" -gt 0 &&
	echo "# $(cat n) agent_refused events" &&
	test "$(db_psql -c "SELECT count(*) FROM pureboot.node_events WHERE type = '"'"'agent_refused'"'"' AND payload->>'"'"'addr'"'"' IS DISTINCT FROM '"'"'$EVIL'"'"'")" = 0
'

test_expect_success 'the nodes still work from their own addresses' '
	tok=$(cat token) && id=$(sed -n "s/^0f000003 \([^ ]*\) .*/\1/p" nodes) &&
	api_from 127.0.0.33 GET "/api/v1/nodes/$id/install" -H "Authorization: Bearer $tok" >out &&
	test "$(jget out .image_url)" = "http://10.9.8.7/0f000003.img.xz" &&
	api_from 127.0.0.32 GET "/api/v1/boot/pi?serial=0f000002" >out &&
	test "$(jget out ".state + \" \" + .action")" = "installing install"
'

test_done
