#!/usr/bin/env python3
"""Times two commands in turn (A B, B A, A B, ...) and prints the medians of
each pair's ratio A/B, wall and processor time (user + system of the whole
process, from the operating system's accounting of the finished child).

Pairing keeps the ratio meaningful on a machine whose speed drifts from
minute to minute: each pair ran at nearly the same moment. PREPARE is a
shell command run, untimed, before every run of either command.

    bench/paired.py RUNS PREPARE -- COMMAND_A... -- COMMAND_B...

For example, issue 14's export against score (from target/bench-data):

    bench/paired.py 12 'rm -f n.db' \\
        -- ../release/apn-check export sqlite n.db portfolio --as-of 2019-11-01 \\
        -- ../release/apn-check score --format ndjson portfolio --as-of 2019-11-01

Both commands' output goes to /dev/null. One run of each, untimed, comes
first.
"""

import resource
import statistics
import subprocess
import sys
import time


def usage(message):
    sys.exit(f"bench/paired.py: {message}\n{__doc__}")


def parse(arguments):
    if len(arguments) < 5 or arguments[2] != "--":
        usage("expected RUNS PREPARE -- COMMAND_A... -- COMMAND_B...")
    try:
        runs = int(arguments[0])
    except ValueError:
        usage(f"RUNS is `{arguments[0]}`; expected a whole number")
    if runs < 1:
        usage("RUNS must be 1 or more")
    rest = arguments[3:]
    if "--" not in rest:
        usage("expected `--` between COMMAND_A and COMMAND_B")
    split = rest.index("--")
    a, b = rest[:split], rest[split + 1 :]
    if not a or not b:
        usage("COMMAND_A and COMMAND_B must each be given")
    return runs, arguments[1], a, b


def run(prepare, command):
    """One timed run: (wall seconds, processor seconds, exit code)."""
    subprocess.run(prepare, shell=True, check=False)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    try:
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError as error:
        sys.exit(f"bench/paired.py: cannot run `{command[0]}`: {error.strerror}")
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    processor = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, processor, done.returncode


def ratio(a, b):
    return a / b if b > 0 else float("inf")


def spread(values):
    return f"median {statistics.median(values):.3f} (min {min(values):.3f}, max {max(values):.3f})"


def main():
    runs, prepare, a, b = parse(sys.argv[1:])
    commands = (a, b)
    for command in commands:
        run(prepare, command)
    times = ([], [])
    codes = (set(), set())
    for index in range(runs):
        for which in (0, 1) if index % 2 == 0 else (1, 0):
            wall, processor, code = run(prepare, commands[which])
            times[which].append((wall, processor))
            codes[which].add(code)
    for which, name in enumerate("AB"):
        walls = [wall for wall, _ in times[which]]
        processors = [processor for _, processor in times[which]]
        print(f"{name}: {' '.join(commands[which])}")
        print(f"   wall s {spread(walls)}; processor s {spread(processors)}; exit {sorted(codes[which])}")
    pairs = list(zip(times[0], times[1]))
    print(f"A/B wall {spread([ratio(a[0], b[0]) for a, b in pairs])}")
    print(f"A/B processor {spread([ratio(a[1], b[1]) for a, b in pairs])}")
    print(f"{runs} pairs")


if __name__ == "__main__":
    main()
