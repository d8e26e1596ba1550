#!/bin/sh
test_description='pgTAP: t/sql/0130-nfs-nodes.sql against a fresh migrated database'
. "${0%/*}/lib.sh"
test_pgtap 0130-nfs-nodes.sql
