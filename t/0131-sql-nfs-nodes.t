#!/bin/sh
test_description='pgTAP: t/sql/0131-nfs-nodes.sql against a fresh migrated database'
. "${0%/*}/lib.sh"
test_pgtap 0131-nfs-nodes.sql
