#!/usr/bin/env bash
# Times `export sqlite` of the 10,000-file benchmark portfolio beside
# `score --format ndjson` of the same files (issue 14's target: at most
# 1.5 times as long). Needs hyperfine.
#
#   bench/export.sh [WORK_DIR]
#
# The export is timed twice: into a new file (the old one removed before
# each run, untimed), and with `--force` over the last run's file, which
# adds the file system's freeing of the old 267 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-target/bench-data}
command -v hyperfine >/dev/null || { echo "bench/export.sh: needs hyperfine" >&2; exit 1; }
cargo build --release --quiet --bin apn-check --example generate_partner
bin=$PWD/target/release/apn-check
mkdir -p "$work"
cd "$work"
[ -d portfolio ] || "$OLDPWD/target/release/examples/generate_partner" portfolio --count 10000 portfolio
# Some portfolio partners fail the gate (exit 1): -i keeps timing them.
hyperfine -N -i --warmup 1 --runs "${RUNS:-10}" \
  --prepare 'true' --prepare 'rm -f portfolio.db' --prepare 'true' \
  "$bin score --format ndjson --as-of 2019-11-01 portfolio" \
  "$bin export sqlite portfolio.db portfolio --as-of 2019-11-01" \
  "$bin export sqlite --force portfolio.db portfolio --as-of 2019-11-01"
ls -l portfolio.db
