"""The score of the last `make mutate` run, and the mutants that survived it.

Reads mutmut's statistics (mutants/mutmut-cicd-stats.json) and the list of
survivors (`mutmut results`). Survivors that change nothing a user or a test
could tell apart are listed, each with its reason, in
scripts/equivalent-mutants.txt ("<mutant name>  <reason>"); they do not
count against the score. Exits 1 under the target.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 85.0


def main():
    stats = json.loads((ROOT / "mutants" / "mutmut-cicd-stats.json").read_text())
    equivalent = {}
    for line in (ROOT / "scripts" / "equivalent-mutants.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, reason = line.strip().partition(" ")
            equivalent[name] = reason.strip()
    listed = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "mutmut"), "results"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    survivors = [
        line.split(":")[0].strip() for line in listed.splitlines() if line.endswith("survived")
    ]
    real = [name for name in survivors if name not in equivalent]
    counted = stats["total"] - len(set(survivors) & set(equivalent)) - stats["skipped"]
    killed = stats["killed"] + stats["timeout"] + stats["segfault"]
    score = 100.0 * killed / counted if counted else 100.0
    print(f"mutants: {stats['total']}, killed {killed}, survived {stats['survived']}")
    print(f"equivalent (scripts/equivalent-mutants.txt): {len(set(survivors) & set(equivalent))}")
    print(f"no tests reach: {stats['no_tests']}")
    for name in real:
        print(f"  survived: {name}   (mutmut show {name})")
    print(f"score: {score:.1f} % of {counted} (target {TARGET:.0f} %)")
    return 0 if score >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
