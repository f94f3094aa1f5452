#!/usr/bin/env bash
# Times `competencies path` on whole processes (issue 13's target: `--want 3`
# over the embedded catalog under 100 ms), and on a synthetic catalog of 300
# consulting designations sharing 20 blocks, where a large `--want` must
# answer or refuse within about a second (the search's node budget).
#
#   bench/competencies.sh [WORK_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
work=${1:-target/bench-competencies}
command -v hyperfine >/dev/null || { echo "bench/competencies.sh: needs hyperfine" >&2; exit 1; }
cargo build --release --quiet --bin apn-check
bin=$PWD/target/release/apn-check
partner=$PWD/examples/consulting-advanced-toward-premier.toml
rm -rf "$work" && mkdir -p "$work/catalog/blocks" "$work/catalog/checklists"
python3 - "$work/catalog" <<'PY'
import random, sys
root = sys.argv[1]
random.seed(13)
for b in range(20):
    lines = [f'[block]\nid = "block-{b}"\nname = "Block {b}"\n']
    for r in range(random.randint(5, 30)):
        lines.append(f'[[requirements]]\nid = "B{b}X-{r:03d}"\ncategory = "Block {b} part {r % 3}"\n')
    open(f"{root}/blocks/block-{b}.toml", "w").write("\n".join(lines))
for c in range(300):
    blocks = sorted(random.sample(range(20), random.randint(1, 4)))
    names = ", ".join(f'"block-{b}"' for b in blocks)
    lines = [f'[checklist]\nid = "designation-{c:03d}"\nname = "Designation {c}"\n'
             f'program = "competency"\npath = "consulting"\nrelease = "2026-02"\nblocks = [{names}]\n']
    for r in range(random.randint(3, 40)):
        lines.append(f'[[requirements]]\nid = "D{c}X-{r:03d}"\ncategory = "Own"\n')
    open(f"{root}/checklists/designation-{c:03d}.toml", "w").write("\n".join(lines))
PY
# The same partner without its evidence, which names the embedded catalog's blocks.
plain=$PWD/$work/partner.toml
sed '/^\[\[requirement_evidence\]\]/,$d' "$partner" > "$plain"
hyperfine --warmup 3 -N -i \
  "$bin competencies path $partner --want 3 --as-of 2026-11-23" \
  "$bin competencies path $partner --premier --as-of 2026-11-23" \
  "$bin competencies path $plain --want 3 --as-of 2026-11-23 --catalog $work/catalog" \
  "$bin competencies path $plain --premier --as-of 2026-11-23 --catalog $work/catalog" \
  "$bin competencies list --catalog $work/catalog --json"
# A large --want over 300 candidates: answered or refused, never hung.
for want in 10 40; do
  start=$(date +%s.%N)
  status=0
  "$bin" competencies path "$plain" --want "$want" --as-of 2026-11-23 --catalog "$work/catalog" >/dev/null 2>"$work/err" || status=$?
  end=$(date +%s.%N)
  printf -- "--want %s over 300 candidates: exit %s in %.2f s %s\n" "$want" "$status" "$(echo "$end - $start" | bc)" "$(head -c 160 "$work/err")"
done
