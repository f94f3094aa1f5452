#!/usr/bin/env bash
# Times the inputs that used to take unbounded work (issue 12), on whole
# processes; the bounds are read from here, never asserted in tests.
#
#   bench/hostile.sh [WORK_DIR]
#
# - a rule file of 20,000 extra certifications (quadratic before: 15 s);
# - the same with a plan for a custom threshold of 100,000 people (the
#   largest a rule may set; cubic before: 6,400 took 21 s);
# - ten years of daily history (the longest series `history` accepts).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-target/bench-hostile}
command -v hyperfine >/dev/null || { echo "bench/hostile.sh: needs hyperfine" >&2; exit 1; }
cargo build --release --quiet --bin apn-check
bin=$PWD/target/release/apn-check
partner=$PWD/tests/cmd/gate/lapsed.toml
mkdir -p "$work"
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
rules = open("rules/apn-2019.toml").read()
extra = "".join(
    f'\n[[certifications]]\nid = "extra-{i}"\nname = "Extra Certification {i}"\nlevel = "specialty"\n'
    for i in range(20000)
)
open(f"{work}/many.rules.toml", "w").write(rules + extra)
# The technology select threshold of technical-certified raised to the limit.
big = rules.replace("select = { individuals = 1", "select = { individuals = 100000", 1)
assert big != rules
open(f"{work}/big-threshold.rules.toml", "w").write(big)
PY
hyperfine -i --warmup 1 --runs "${RUNS:-5}" -N \
  "$bin score -q --as-of 2019-11-01 --rules $work/many.rules.toml $partner" \
  "$bin plan --as-of 2019-11-01 --tier select --rules $work/big-threshold.rules.toml $partner" \
  "$bin history --from 2009-11-02 --to 2019-11-01 $partner"
