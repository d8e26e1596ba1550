#!/bin/sh
test_description='pgTAP: t/sql/0101-attempts.sql against a fresh migrated database'
. "${0%/*}/lib.sh"
test_pgtap 0101-attempts.sql
