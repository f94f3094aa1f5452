#!/usr/bin/env bash
# Times `export sqlite` of the 10,000-file benchmark portfolio beside
# `score --format ndjson` of the same files (issue 14's target: at most
# 1.5 times as long). Needs hyperfine.
#
#   bench/export.sh [WORK_DIR]
#
# The export is timed twice: into a new file (the old one removed before
# each run, untimed), and with `--force` over the last run's file, which
# adds the file system's freeing of the old 273 MB.
#
# Before every run, of every command, the inputs are read once, untimed,
# so that each run starts with them in the page cache: on a machine that
# pages out memory it judges unused (DAMON's proactive reclaim, on the one
# the figures in docs/performance.md come from), some runs otherwise read
# them from disk, whichever command they are. bench/paired.py times two
# commands in turn, for a ratio that holds while the machine's speed
# drifts.
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
warm='find portfolio -type f -exec cat {} + >/dev/null'
hyperfine -N -i --warmup 1 --runs "${RUNS:-10}" \
  --prepare "sh -c '$warm'" \
  --prepare "sh -c 'rm -f portfolio.db && $warm'" \
  --prepare "sh -c '$warm'" \
  "$bin score --format ndjson --as-of 2019-11-01 portfolio" \
  "$bin export sqlite portfolio.db portfolio --as-of 2019-11-01" \
  "$bin export sqlite --force portfolio.db portfolio --as-of 2019-11-01"
ls -l portfolio.db
