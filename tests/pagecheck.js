// Injected into each checked page (tests/pagecheck.py). Colours are read as
// the browser computes them and composited over what lies beneath.
(() => {
  const parse = (c) => {
    const m = c.match(/[\d.]+/g) || [0, 0, 0, 0];
    return [+m[0], +m[1], +m[2], m.length > 3 ? +m[3] : 1];
  };
  const over = (top, below) =>
    [0, 1, 2].map((i) => top[i] * top[3] + below[i] * (1 - top[3])).concat(1);
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    return layers.reverse().reduce((below, top) => over(top, below), [255, 255, 255, 1]);
  };
  const describe = (el) => {
    const text = (el.innerText || el.value || el.name || el.id || "")
      .replace(/\s+/g, " ").trim().slice(0, 40);
    const cls = el.className ? "." + String(el.className).split(" ")[0] : "";
    return `${el.tagName.toLowerCase()}${cls} "${text}"`;
  };
  const BOUNDED = [
    "input:not([type=hidden]):not([tabindex='-1'])",
    "select",
    "textarea",
    ".btn-outline-primary",
    ".btn-outline-secondary",
  ].join(", ");

  window.pageCheck = {
    // The focused element's outline (2 px or more), and what surrounds it.
    focus() {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const around = background(el.parentElement || el);
      const drawn = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2;
      const kind = el.matches(".main-nav [aria-current], .main-nav .active")
        ? "current menu link"
        : el.tagName === "INPUT" ? `input ${el.type}` : el.tagName.toLowerCase();
      return {
        what: describe(el),
        kind,
        outline: drawn ? over(parse(s.outlineColor), around) : null,
        around,
      };
    },
    // The border of every visible field and outline button.
    boundaries() {
      return [...document.querySelectorAll(BOUNDED)]
        .filter((el) => el.offsetParent !== null)
        .map((el) => {
          const s = getComputedStyle(el);
          const around = background(el.parentElement);
          return {
            what: describe(el),
            border: over(parse(s.borderTopColor), around),
            around,
            width: parseFloat(s.borderTopWidth),
          };
        });
    },
  };
})();
