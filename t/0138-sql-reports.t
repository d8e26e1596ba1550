#!/bin/sh
test_description='pgTAP: t/sql/0138-reports.sql (install_report, stale_nodes, pureboot_report) against a fresh migrated database'
. "${0%/*}/lib.sh"
test_pgtap 0138-reports.sql
