#!/bin/sh
test_description='pgTAP: t/sql/0102-constraints.sql against a fresh migrated database'
. "${0%/*}/lib.sh"
test_pgtap 0102-constraints.sql
