#!/bin/sh
test_description='pgTAP: t/sql/0100-transitions.sql against a fresh migrated database'
. "${0%/*}/lib.sh"
test_pgtap 0100-transitions.sql
