"""Holds the code whose mistakes cost most to 100 % branch coverage
(`make coverage-check`, run by `make test` after the tests have written
.coverage). Prints each module's figure, and the lines and branches no test
reaches; exits 1 when any.

- the services (every change of state goes through them),
- the models (their rules, constraints and querysets),
- the composition figures,
- the admin's permission code: the roles, the admin site, and every
  `has_*_permission` method of the apps' admin.py files (the rest of those
  files is forms and columns, held by the 95 % of the whole).
"""

import ast
import json
import os
import sys
import tempfile
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    "hearings/services.py",
    "groups/services.py",
    "portal/models.py",
    "groups/models.py",
    "hearings/models.py",
    "groups/composition.py",
    "portal/roles.py",
    "portal/admin_site.py",
    "budget/models.py",
    "budget/services.py",
    "projects/models.py",
    "projects/services.py",
]
ADMIN_MODULES = [
    "portal/admin.py",
    "groups/admin.py",
    "hearings/admin.py",
    "budget/admin.py",
    "projects/admin.py",
]


def permission_methods(path):
    """(name, first line, last line) of each has_*_permission method."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return [
        (f"{cls.name}.{node.name}", node.lineno, node.end_lineno)
        for cls in ast.walk(tree)
        if isinstance(cls, ast.ClassDef)
        for node in cls.body
        if isinstance(node, ast.FunctionDef)
        and node.name.startswith("has_")
        and node.name.endswith("_permission")
    ]


def gaps(report, path, first=None, last=None):
    """Missing lines and branches ("12->14", "12->exit") of `path`, within lines first..last."""
    found = report["files"].get(path)
    if found is None:
        return ["never imported by the tests"]

    def inside(line):
        return first is None or first <= line <= last

    missing = [str(n) for n in found["missing_lines"] if inside(n)]
    missing += [f"{a}->{b if b > 0 else 'exit'}" for a, b in found["missing_branches"] if inside(a)]
    return missing


def main():
    os.chdir(ROOT)  # coverage names the files relative to here
    data = ROOT / ".coverage"
    if not data.exists():
        sys.exit("No .coverage: run the tests with coverage first (make test).")
    cov = coverage.Coverage(data_file=str(data))
    cov.load()
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        cov.json_report(morfs=[str(ROOT / p) for p in MODULES + ADMIN_MODULES], outfile=out.name)
        report = json.loads(Path(out.name).read_text(encoding="utf-8"))
    failures = 0
    print("Held to 100 % of lines and branches:")
    for path in MODULES:
        missing = gaps(report, path)
        summary = report["files"].get(path, {}).get("summary", {})
        print(f"  {path:32} {summary.get('percent_covered', 0):6.1f} %")
        if missing:
            failures += 1
            print(f"    not reached: {', '.join(missing)}")
    for path in ADMIN_MODULES:
        methods = permission_methods(path)
        for name, first, last in methods:
            missing = gaps(report, path, first, last)
            if missing:
                failures += 1
                print(f"  {path} {name}: not reached: {', '.join(missing)}")
        print(f"  {path:32} has_*_permission: {len(methods)} methods checked")
    if failures:
        sys.exit(f"{failures} of the above fall short of 100 %: add tests that reach them.")


if __name__ == "__main__":
    main()
