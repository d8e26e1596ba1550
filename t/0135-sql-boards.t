#!/bin/sh
test_description='pgTAP: t/sql/0135-boards.sql (boards, per-node DTBs, board_nodes) against a fresh migrated database'
. "${0%/*}/lib.sh"
test_pgtap 0135-boards.sql
