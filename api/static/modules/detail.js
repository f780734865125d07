// The detail of one move: readiness, effort, the gap list as bars, and the learning content
// and mentors for that move with what each closes (which skill, from what level to what level).

import { call } from "./api.js";
import {
  band, busy, byId, fill, fmtHours, fmtLevel, fmtPercent, h, levelName, moveLabel,
} from "./dom.js";
import { feedbackButtons } from "./feedback.js";

const RECS = 4;
const MAX_LEVEL = 5;
const ONE_COLUMN = "(max-width: 899px)"; // styles.css: two columns from 900px
let shown = 0; // guards against a slow answer overwriting a newer choice

/**
 * Show `node` ({id, title, readiness, move, effort, hop, place, rec}) for `person`.
 * With a hop (from a path) its own gaps and recommendations are used; otherwise they are
 * fetched for the person with the role as target.
 */
export async function showDetail(app, person, node, { focus, onTarget }) {
  const ticket = ++shown;
  const panel = byId("detail");
  const title = h("h2", { id: "detail-title", tabindex: "-1" }, node.title);
  const body = h("div", {});
  fill(panel, title, body);
  // on one column the detail is below the graph and the list: bring it into view (again once
  // its content is in: before, the page may be too short to scroll the heading to the top)
  const reveal = focus || window.matchMedia(ONE_COLUMN).matches;
  const show = () => {
    if (!reveal) return;
    title.focus({ preventScroll: true });
    title.scrollIntoView({ block: "start" });
  };
  show();
  let data;
  try {
    data = node.hop
      ? fromHop(node)
      : await busy(body, `Loading what ${node.title} needs…`, () => fetchFor(person, node));
  } catch (err) {
    if (ticket === shown) fill(body, h("p", { class: "message error" }, err.readable || String(err)));
    return;
  }
  if (ticket !== shown) return;
  fill(body, render(app, person, node, data, onTarget));
  show();
}

function fromHop(node) {
  const hop = node.hop;
  const rows = hop.gaps.rows;
  const bySkill = new Map(rows.map((r) => [r.skill_id, r]));
  const short = (rec) => {
    const cut = rec.text.indexOf(" (");
    return {
      id: rec.id,
      kind: rec.kind,
      title: cut > 0 ? rec.text.slice(0, cut) : rec.id,
      why: rec.text,
      meta: [],
      url: "",
      closes: rec.gaps.map((id) => bySkill.get(id)).filter(Boolean).map((r) => ({
        skill_id: r.skill_id, label: r.label, current: r.current_level, required: r.required_level, reaches: null,
      })),
    };
  };
  return {
    readiness: hop.readiness,
    effort: hop.effort_hours,
    rows,
    content: hop.content.map(short),
    mentors: hop.mentors.map(short),
    counterfactual: node.rec ? node.rec.explanation.counterfactual : null,
  };
}

async function fetchFor(person, node) {
  const base = `/v1/employees/${encodeURIComponent(person.id)}`;
  const query = { target_role: node.id };
  const [gaps, content, mentors] = await Promise.all([
    call(`${base}/gaps`, { query }),
    call(`${base}/content`, { query: { ...query, k: RECS } }),
    call(`${base}/mentors`, { query: { ...query, k: RECS } }),
  ]);
  return {
    readiness: gaps.readiness,
    effort: node.effort,
    rows: gaps.rows,
    content: content.items.map(full),
    mentors: mentors.items.map(full),
    counterfactual: node.rec ? node.rec.explanation.counterfactual : null,
  };
}

function full(rec) {
  const p = rec.payload || {};
  const levels = rec.kind === "content" ? p.reaches || {} : p.mentor_levels || {};
  const meta = rec.kind === "content"
    ? [p.modality && p.modality.replace("_", " "), p.duration_hours && fmtHours(p.duration_hours), p.provider]
    : [p.role_title, p.mode && p.mode.replace(/_/g, "-"), Number.isFinite(p.free_capacity) ? `${p.free_capacity} place${p.free_capacity === 1 ? "" : "s"} free` : null];
  return {
    id: rec.item_id,
    kind: rec.kind,
    title: p.title || p.name || rec.item_id,
    why: rec.explanation.text,
    meta: meta.filter(Boolean),
    url: p.url || "",
    closes: rec.explanation.gaps.map((g) => ({
      skill_id: g.skill_id,
      label: g.skill_label,
      current: g.current_level,
      required: g.required_level,
      reaches: levels[g.skill_id] ?? null,
    })),
  };
}

// ------------------------------------------------------------------ rendering

function render(app, person, node, data, onTarget) {
  const b = band(data.readiness);
  const open = data.rows.filter((r) => r.gap > 0);
  const met = data.rows.filter((r) => !(r.gap > 0));
  const hop = node.hop;
  const context = `role:${node.id}`;
  return [
    h("div", { class: "facts" },
      h("span", { class: `badge ${b.key}` }, `${fmtPercent(data.readiness)} ready`),
      node.move ? h("span", { class: "badge" }, moveLabel(node.move)) : null,
      Number.isFinite(Number(data.effort))
        ? h("span", { class: "badge", id: "detail-effort" }, `about ${fmtHours(data.effort)} of learning`)
        : h("span", { class: "badge" }, "effort not estimated"),
      h("span", { class: "badge" }, `${open.length} open gap${open.length === 1 ? "" : "s"}`)),
    hop && node.place && node.place.step > 0
      ? h("p", { class: "hint" },
        `Move ${node.place.step + 1} of ${node.place.path.hops.length} on this path, from ${app.roleTitle(hop.from_role)}; ` +
        "it assumes you have learnt what the earlier moves need.")
      : null,
    data.counterfactual ? h("p", { class: "hint" }, capitalise(data.counterfactual), ".") : null,
    h("div", { class: "row" },
      node.target ? null : h("button", { type: "button", onclick: () => onTarget({ id: node.id, title: node.title }) }, "Set as target"),
      h("a", { class: "button", href: `#/plan/${encodeURIComponent(person.id)}`, onclick: () => { app.planTarget = node.id; } }, "Plan for this role")),
    node.rec ? feedbackButtons({ kind: "role", id: node.id, title: `the suggestion ${node.title}`, context: `next role for ${person.id}` }) : null,
    gapSection(open, met),
    recSection("Learning for this move", "content", data.content, context,
      "No learning content in the catalogue closes these gaps yet."),
    recSection("Mentors for this move", "mentor", data.mentors, context,
      "No mentor with free capacity covers these gaps right now."),
  ];
}

function gapSection(open, met) {
  return h("section", { class: "section", "aria-labelledby": "gaps-title" },
    h("h3", { id: "gaps-title" }, "Skill gaps"),
    h("p", { class: "bar-key", "aria-hidden": "true" },
      h("span", {}, h("span", { class: "have-key" }), " your level"),
      h("span", {}, h("span", { class: "need-key" }), " needed"),
      h("span", {}, "scale 0 none – 5 expert")),
    open.length
      ? h("ul", { class: "gaps", id: "gap-list" }, open.map(gapRow))
      : h("p", { class: "message info" }, "You meet every skill need of this role."),
    met.length
      ? h("details", {}, h("summary", {}, `Already met (${met.length})`),
        h("ul", { class: "gaps" }, met.map(gapRow)))
      : null);
}

function gapRow(row) {
  const have = Math.min(row.current_level, MAX_LEVEL) / MAX_LEVEL * 100;
  const need = Math.min(row.required_level, MAX_LEVEL) / MAX_LEVEL * 100;
  const fill_ = h("span", { class: "have" });
  const mark = h("span", { class: "need" });
  fill_.style.width = `${have}%`;
  mark.style.left = `calc(${need}% - 1px)`;
  const credited = row.evidence && row.evidence.kind !== "direct";
  return h("li", { class: "gap-row", "data-skill": row.skill_id },
    h("div", { class: "gap-label" },
      h("span", {}, row.label, row.provenance === "inferred" ? h("span", { class: "hint" }, " (inferred need)") : null),
      h("span", { class: "gap-numbers" },
        `${fmtLevel(row.current_level)} of ${fmtLevel(row.required_level)} needed`)),
    h("div", { class: `bar${row.gap > 0 ? "" : " met"}`, "aria-hidden": "true" }, fill_, mark),
    h("span", { class: "visually-hidden" },
      `You are at ${levelName(row.current_level)}, the role needs ${levelName(row.required_level)}.`),
    credited ? h("span", { class: "hint" }, ` Partly credited from a related skill you hold.`) : null);
}

function recSection(title, kind, recs, context, empty) {
  const id = `recs-${kind}`;
  return h("section", { class: "section", "aria-labelledby": `${id}-title` },
    h("h3", { id: `${id}-title` }, title),
    recs.length
      ? h("ul", { class: "recs", id }, recs.map((rec) => recCard(rec, context)))
      : h("p", { class: "message empty" }, empty));
}

function recCard(rec, context) {
  return h("li", { class: "rec", "data-id": rec.id, "data-kind": rec.kind },
    h("div", { class: "rec-title" },
      rec.url ? h("a", { href: rec.url, target: "_blank", rel: "noopener noreferrer" }, rec.title) : rec.title),
    rec.meta.length ? h("div", { class: "hint" }, rec.meta.join(" · ")) : null,
    h("p", { class: "why" }, rec.why),
    rec.closes.length
      ? h("div", { class: "closes-line" }, h("span", { class: "hint", "aria-hidden": "true" }, "Closes:"),
        h("ul", { class: "closes", "aria-label": "Gaps it closes, from your level to the level needed" },
          rec.closes.map((c) => h("li", { class: "badge" }, closesText(c, rec.kind)))))
      : null,
    feedbackButtons({
      kind: rec.kind,
      id: rec.id,
      title: rec.title,
      context: `${context}; gaps:${rec.closes.map((c) => c.skill_id).join(",")}`,
    }));
}

function closesText(c, kind) {
  const gap = `${c.label}: ${fmtLevel(c.current)} → ${fmtLevel(c.required)}`;
  if (c.reaches === null || c.reaches === undefined) return gap;
  if (kind === "mentor") return `${gap} (mentor at ${fmtLevel(c.reaches)})`;
  const reach = Math.min(Number(c.reaches), Number(c.required));
  return reach < Number(c.required) ? `${gap} (takes you to ${fmtLevel(reach)})` : gap;
}

function capitalise(text) {
  return text ? text[0].toUpperCase() + text.slice(1) : text;
}
