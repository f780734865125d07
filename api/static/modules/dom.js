// Small DOM helpers: elements are built with createElement and textContent only (no HTML
// strings), so nothing the API returns can inject markup, and the page's CSP can forbid
// inline styles and scripts.

/** Create an element: h("button", {class: "x", onclick: fn, "aria-label": "y"}, "text", child) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "class") {
      el.className = value;
    } else if (key === "dataset") {
      Object.assign(el.dataset, value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace the children of `el`. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing element #${id}`);
  return el;
}

/** Mark a region busy while `work` runs, with a visible "Loading…" line. */
export async function busy(region, label, work) {
  region.setAttribute("aria-busy", "true");
  const note = h("p", { class: "loading" }, h("span", { class: "spinner", "aria-hidden": "true" }), label);
  fill(region, note);
  try {
    return await work();
  } finally {
    region.removeAttribute("aria-busy");
    note.remove();
  }
}

/** Announce a short message to screen readers (and show it in the status line). */
export function announce(text) {
  const status = document.getElementById("status");
  if (!status) return;
  status.textContent = "";
  // a fresh text node makes screen readers repeat an identical message
  window.setTimeout(() => { status.textContent = text; }, 30);
}

export function fmtLevel(value) {
  const num = Number(value);
  if (!Number.isFinite(num)) return "–";
  return Number.isInteger(num) ? String(num) : num.toFixed(1);
}

export function fmtHours(value) {
  const num = Number(value);
  if (!Number.isFinite(num)) return "–";
  if (num > 0 && num < 10) return `${Number(num.toFixed(1))} h`;
  return `${Math.round(num)} h`;
}

export function fmtPercent(value) {
  const num = Number(value);
  if (!Number.isFinite(num)) return "–";
  return `${Math.round(num)}%`;
}

export const LEVEL_NAMES = ["none", "awareness", "basic", "intermediate", "advanced", "expert"];

export function levelName(value) {
  const idx = Math.round(Math.min(Math.max(Number(value) || 0, 0), 5));
  return LEVEL_NAMES[idx];
}

/** Readiness band: the colour of a role, always shown together with its number. */
export function band(readiness) {
  const r = Number(readiness);
  if (r >= 80) return { key: "high", label: "ready or nearly (80% and more)" };
  if (r >= 50) return { key: "mid", label: "within reach (50–79%)" };
  return { key: "low", label: "a stretch (under 50%)" };
}

export const MOVE_LABELS = {
  up: "upward move",
  lateral: "lateral move",
  down: "step down",
};

export function moveLabel(move) {
  return MOVE_LABELS[move] || `${move} move`;
}
