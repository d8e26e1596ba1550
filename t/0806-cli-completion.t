#!/bin/sh
test_description='conf/bash-completion/pureboot: bash loads it, and it completes commands, subcommands, options and states from pureboot itself'
. "${0%/*}/lib.sh"

C=$PB_TOP/conf/bash-completion/pureboot
P=$PB_BUILD/pureboot

# comp WORDS...: what bash completes for the command line WORDS, the
# last word being the one completed, sorted, one a line.
comp() {
	bash --norc --noprofile -c '
		. "$1" || exit 1
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		_pureboot
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}" | sort
	' comp "$C" "$P" "$@"
}

test_expect_success 'the completion (bash) and t/lib-cli.sh are shellcheck-clean' '
	shellcheck -s bash "$C" &&
	cd "$PB_TOP" && shellcheck -x t/lib-cli.sh
'

test_expect_success 'bash loads it and registers it for pureboot' '
	bash --norc --noprofile -c ". \"\$1\" && complete -p pureboot" sh "$C" >out &&
	echo "complete -F _pureboot pureboot" >expect && test_cmp expect out
'

test_expect_success 'the commands, from pureboot help' '
	comp "" >got &&
	printf "%s\n" board db events help nfs node status token tree workflow >expect &&
	test_cmp expect got &&
	comp st >got && echo status >expect && test_cmp expect got
'

test_expect_success 'the subcommands of a group; none for a leaf' '
	comp node "" >got &&
	printf "%s\n" assign history list retire show transition >expect &&
	test_cmp expect got &&
	comp node tr >got && echo transition >expect && test_cmp expect got &&
	comp tree "" >got && echo check >expect && test_cmp expect got &&
	comp status "" >got && test ! -s got &&
	comp help no >got && echo node >expect && test_cmp expect got &&
	comp help node h >got && echo history >expect && test_cmp expect got
'

test_expect_success 'options from the usage, values of --state and --model' '
	comp events -- >got && grep -qx -- --follow got && grep -qx -- --json got &&
	comp node list --st >got && echo --state >expect && test_cmp expect got &&
	comp node list --state inst >got &&
	printf "%s\n" install_failed installed installing >expect && test_cmp expect got &&
	comp node list --model pi5 >got &&
	printf "%s\n" pi5 pi500 >expect && test_cmp expect got
'

test_expect_success 'node transition NODE STATE: the state after the node, not before' '
	comp node transition d83add36 ret >got && echo retired >expect && test_cmp expect got &&
	comp node transition -m "a comment" d83add36 pen >got && echo pending >expect && test_cmp expect got &&
	comp node transition ret >got && test ! -s got
'

test_done
