"""Checks run on every public page in a real browser: axe-core, the Nu Html
Checker, a keyboard's focus indicators, component contrast and a 360 px
screen. The checkers come from the npm registry (scripts/node, installed by
`make test`)."""

import json
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "scripts" / "node" / "node_modules"
AXE = NODE / "axe-core" / "axe.min.js"
VNU = NODE / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Impacts that fail a page; only "minor" findings are let through.
AXE_FAILING = {"moderate", "serious", "critical"}


def axe_violations(page):
    """axe-core's violations of impact moderate or worse, as short strings."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"axe {v['id']} ({v['impact']}): {node['target']}"
        for v in result["violations"]
        if v["impact"] in AXE_FAILING
        for node in v["nodes"]
    ]


def nu_errors(files):
    """The Nu Html Checker's errors for saved HTML files, by file name."""
    output = subprocess.run(
        ["java", "-jar", str(VNU), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    )
    errors = {}
    for message in json.loads(output.stderr or output.stdout)["messages"]:
        if message["type"] == "error" or message.get("subType") == "fatal":
            name = Path(message.get("url", "")).name
            errors.setdefault(name, []).append(
                f"Nu line {message.get('lastLine')}: {message['message']}"
            )
    return errors


HELPERS = Path(__file__).with_name("pagecheck.js")


def _helpers(page):
    if not page.evaluate("() => Boolean(window.pageCheck)"):
        page.add_script_tag(path=str(HELPERS))


def luminance(rgb):
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a, b):
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def focus_failures(page, limit=250, kinds=None):
    """Tab through the page as a keyboard user; each stop needs a visible
    focus indicator of at least 3:1 against what surrounds it. The kinds of
    element reached are added to `kinds`."""
    _helpers(page)
    failures, seen = [], set()
    page.evaluate("() => { document.activeElement && document.activeElement.blur(); }")
    page.locator("body").focus()
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate("() => window.pageCheck.focus()")
        if stop is None or stop["what"] in seen:
            if stop is not None:
                break
            continue
        seen.add(stop["what"])
        if kinds is not None:
            kinds.add(stop["kind"])
        if stop["outline"] is None:
            failures.append(f"focus: no outline on {stop['what']}")
        elif contrast(stop["outline"], stop["around"]) < 3:
            ratio = contrast(stop["outline"], stop["around"])
            failures.append(f"focus: outline {ratio:.1f}:1 on {stop['what']}")
    return failures


def boundary_failures(page):
    """Inputs, checkboxes, radios and outline buttons: a border of 3:1 or more."""
    _helpers(page)
    failures = []
    for item in page.evaluate("() => window.pageCheck.boundaries()"):
        ratio = contrast(item["border"], item["around"])
        if item["width"] < 1 or ratio < 3:
            failures.append(f"border {ratio:.1f}:1 on {item['what']}")
    return failures


def narrow_failures(page, menu_selector=".main-nav a"):
    """At 360 px nothing scrolls sideways and every menu item can be seen."""
    failures = []
    width = page.evaluate("() => document.documentElement.scrollWidth")
    if width > 360:
        failures.append(f"360 px: the page is {width} px wide")
    for link in page.locator(menu_selector).all():
        box = link.bounding_box()
        if not link.is_visible() or box is None or box["x"] < 0 or box["x"] + box["width"] > 360:
            failures.append(f"360 px: menu item {link.inner_text()!r} is out of sight")
    return failures


def slug(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
