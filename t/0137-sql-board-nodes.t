#!/bin/sh
test_description='pgTAP: t/sql/0137-board-nodes.sql (boot_answer shared by boot_pi and boot_arm64, board nodes by MAC, the operator functions) against a fresh migrated database'
. "${0%/*}/lib.sh"
test_pgtap 0137-board-nodes.sql
