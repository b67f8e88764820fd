#!/usr/bin/env python3
"""Where two instruction counts differ, function by function.

    scripts/instructions-diff.py DIR_A DIR_B [N]

DIR_A and DIR_B are folders of callgrind files kept by `CG_KEEP=1 scripts/instructions.sh`
(one file per thread). Each function's own instructions (self cost) are summed over the
threads, and the N functions (default 30) whose sums differ most are listed: the change in
B, then A's and B's figures. Needs callgrind_annotate (valgrind) and `swift demangle`.
"""
import collections
import glob
import re
import subprocess
import sys


def self_costs(folder):
    costs = collections.Counter()
    for path in sorted(glob.glob(folder + "/*")):
        text = subprocess.run(["callgrind_annotate", "--threshold=100", path],
                              capture_output=True, text=True, check=True).stdout
        for line in text.splitlines():
            m = re.match(r"\s*([\d,]+) \([ \d.]+%\)\s+(.*)$", line)
            if m and "PROGRAM TOTALS" not in line:
                # The binary's copy lives in a temporary folder named differently each run.
                name = re.sub(r"\[/tmp/[^\]]*\]", "[bin]", m.group(2))
                costs[name] += int(m.group(1).replace(",", ""))
    return costs


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    a, b = self_costs(sys.argv[1]), self_costs(sys.argv[2])
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 30
    top = sorted(set(a) | set(b), key=lambda k: -abs(b[k] - a[k]))[:n]
    names = subprocess.run(["swift", "demangle", "--simplified"], input="\n".join(top),
                           capture_output=True, text=True).stdout.splitlines()
    print(f"total A {sum(a.values()):,}  B {sum(b.values()):,}  change {sum(b.values()) - sum(a.values()):+,}")
    for key, name in zip(top, names):
        print(f"{b[key] - a[key]:+14,} {a[key]:14,} {b[key]:14,}  {name[:150]}")


if __name__ == "__main__":
    main()
