// "Where can I go": the person's role, the next roles and multi-step paths as a graph and as
// a list of buttons, role search, a target with its k best paths, and the detail of a move.

import { call } from "./api.js";
import { announce, band, busy, byId, fill, fmtHours, fmtPercent, h, moveLabel } from "./dom.js";
import { showDetail } from "./detail.js";
import { destroyGraph, drawGraph, markSelected, refitGraph } from "./graph.js";

const NEXT_ROLES = 8;
const EXPLORE_PATHS = 12;
const EXPLORE_HOPS = 3;
const TARGET_PATHS = 3;
const TARGET_HOPS = 4;
const SEARCH_HITS = 8;
const SEARCH_MIN_SCORE = 0.3; // below this cosine a meaning match is noise (all-MiniLM-L6-v2)

const view = {
  person: null, // the employee record shown
  model: null, // {nodes, edges}
  byId: new Map(), // role id -> node
  selected: null,
  paths: [], // paths shown in target mode
};
let wiredFor = null;

/** Forget the person shown (on sign-out: the next person must not see a cached page). */
export function resetExplore() {
  view.person = null;
  view.model = null;
  view.selected = null;
  view.paths = [];
}

export async function showExplore(app, employeeId) {
  if (wiredFor !== app) {
    wire(app);
    wiredFor = app;
  }
  const message = byId("explore-message");
  fill(message);
  if (view.person && view.person.id === employeeId && view.model) {
    refitGraph();
    return;
  }
  resetPanels();
  const profile = byId("explore-profile");
  try {
    await busy(profile, "Loading your profile…", async () => {
      await app.loadRoles();
      view.person = await call(`/v1/employees/${encodeURIComponent(employeeId)}`);
    });
  } catch (err) {
    view.person = null;
    fill(profile, h("p", { class: "message error" }, err.readable || String(err)),
      employeeId !== app.me.subject
        ? h("p", {}, h("a", { href: "#/explore" }, "Back to your own career paths"))
        : null);
    byId("explore-body").hidden = true;
    return;
  }
  byId("explore-body").hidden = false;
  renderProfile(app);
  if (app.target && app.target.forPerson === employeeId) await loadTarget(app);
  else {
    app.target = null;
    await loadExploration(app);
  }
}

function resetPanels() {
  fill(byId("search-results"));
  fill(byId("target-box"));
  fill(byId("role-list"));
  view.model = null;
  view.selected = null;
  const detail = byId("detail");
  fill(detail,
    h("h2", { id: "detail-title", tabindex: "-1" }, "Role details"),
    h("p", { class: "hint" }, "Choose a role in the graph or the list to see your gaps, learning and mentors for that move."));
}

function wire(app) {
  byId("role-search").addEventListener("submit", (event) => {
    event.preventDefault();
    search(app);
  });
}

function renderProfile(app) {
  const p = view.person;
  const mine = p.id === app.me.subject;
  const top = [...p.skills].sort((a, b) => b.level - a.level).slice(0, 6);
  fill(byId("explore-profile"),
    h("p", { class: "profile-line" },
      mine ? "You are " : "Viewing ", h("strong", {}, p.name), mine ? ", " : ` (${p.id}), `,
      h("span", { class: "here-role" }, p.role_title || p.role_id),
      p.department ? h("span", { class: "hint" }, ` · ${p.department}`) : null),
    top.length
      ? h("p", { class: "hint" }, "Strongest skills: ",
        top.map((s) => `${s.label} ${s.level}`).join(", "), ".")
      : h("p", { class: "hint" }, "No skills recorded yet: readiness will be low everywhere."));
}

// ------------------------------------------------------------------ exploration

async function loadExploration(app) {
  const id = view.person.id;
  byId("graph-title").textContent = "Your next moves";
  byId("graph-hint").textContent = `next roles and paths of up to ${EXPLORE_HOPS} moves`;
  fill(byId("target-box"));
  let next;
  let paths;
  try {
    await busy(byId("role-list"), "Finding the roles you could move to…", async () => {
      [next, paths] = await Promise.all([
        call(`/v1/employees/${encodeURIComponent(id)}/next-roles`, { query: { k: NEXT_ROLES } }),
        call("/v1/paths", { query: { employee_id: id, max_hops: EXPLORE_HOPS, k: EXPLORE_PATHS } }),
      ]);
    });
  } catch (err) {
    failed(err, () => loadExploration(app));
    return;
  }
  view.paths = [];
  const model = buildModel(app, next.items, paths.items, null);
  render(app, model);
  announce(`${model.nodes.length - 1} roles you could move to.`);
}

/** The graph could not be drawn: say why where it would be, with a way to try again. */
function failed(err, retry) {
  if (err && err.status === 401) return; // back to sign-in already
  destroyGraph();
  fill(byId("graph"), h("p", { class: "message empty" }, "No graph to show."));
  fill(byId("role-list"), h("div", { class: "message error", role: "alert" },
    err.readable || String(err),
    h("button", { type: "button", class: "retry", onclick: retry }, "Try again")));
}

/** Nodes and edges from next-role recommendations and paths; a node keeps its shallowest hop. */
export function buildModel(app, nextRoles, paths, targetId) {
  const here = view.person.role_id;
  const nodes = new Map([[here, { id: here, title: app.roleTitle(here), here: true, depth: 0, readiness: 100 }]]);
  const edges = new Map();
  const addEdge = (from, to, move, onPath) => {
    const key = `${from}->${to}`;
    const known = edges.get(key);
    if (known) known.onPath = known.onPath || onPath;
    else edges.set(key, { from, to, move, onPath });
  };
  for (const rec of nextRoles) {
    const p = rec.payload || {};
    nodes.set(rec.item_id, {
      id: rec.item_id, title: p.title || app.roleTitle(rec.item_id), depth: 1,
      readiness: p.readiness, move: p.move, effort: p.effort_hours, rec,
    });
    addEdge(here, rec.item_id, p.move || "up", false);
  }
  paths.forEach((path, pathIndex) => {
    path.hops.forEach((hop, i) => {
      const depth = i + 1;
      const known = nodes.get(hop.to_role);
      const place = { path, pathIndex, step: i };
      if (!known || (!known.here && depth < known.depth) || (known.depth === depth && !known.hop)) {
        nodes.set(hop.to_role, {
          ...(known || {}),
          id: hop.to_role, title: hop.to_title || app.roleTitle(hop.to_role), depth,
          readiness: hop.readiness, move: hop.move, effort: hop.effort_hours, hop, place,
        });
      }
      addEdge(hop.from_role, hop.to_role, hop.move, targetId !== null);
    });
  });
  const depth = (id) => nodes.get(id).depth;
  let kept = [...edges.values()];
  if (targetId && nodes.has(targetId)) {
    // the target sits in the last column, after every path's earlier moves
    const target = nodes.get(targetId);
    target.target = true;
    target.column = Math.max(...paths.map((p) => p.hops.length), 1);
  } else {
    // a role keeps its shortest route; longer routes to it would point backwards
    kept = kept.filter((e) => depth(e.to) > depth(e.from));
  }
  paths.forEach((path, i) => path.hops.forEach((hop) => {
    const node = nodes.get(hop.to_role);
    node.order = Math.min(node.order ?? i, i);
  }));
  return { nodes: [...nodes.values()], edges: kept };
}

function render(app, model) {
  view.model = model;
  view.byId = new Map(model.nodes.map((n) => [n.id, n]));
  drawGraph(byId("graph"), model, (id) => select(app, id, { focus: false }));
  byId("graph").setAttribute("aria-label",
    `Career graph with ${model.nodes.length - 1} roles around ${view.person.role_title}; ` +
    "the same roles are listed below as buttons.");
  renderRoleList(app, model);
}

function renderRoleList(app, model) {
  const others = model.nodes.filter((n) => !n.here);
  if (!others.length) {
    fill(byId("role-list"), h("p", { class: "message empty" },
      "No internal moves found from this role yet. Search for a role above to see what it needs."));
    return;
  }
  const depths = [...new Set(others.map((n) => n.depth))].sort((a, b) => a - b);
  fill(byId("role-list"), depths.map((depth) => {
    const group = others.filter((n) => n.depth === depth)
      .sort((a, b) => (b.readiness ?? 0) - (a.readiness ?? 0));
    const title = depth === 1 ? "One move away" : `${depth} moves away`;
    return [
      h("h4", { class: "step-heading", id: `step-${depth}` }, title),
      h("ul", { class: "role-list", "aria-labelledby": `step-${depth}` }, group.map((node) =>
        h("li", {}, roleButton(app, node)))),
    ];
  }));
}

function roleButton(app, node) {
  const b = band(node.readiness);
  return h("button", {
    type: "button",
    class: `${b.key}${view.selected === node.id ? " selected" : ""}`,
    "data-role": node.id,
    "aria-pressed": view.selected === node.id ? "true" : "false",
    onclick: () => select(app, node.id, { focus: true }),
  },
  h("span", {}, node.title, node.target ? " (your target)" : ""),
  h("span", { class: "sub" },
    `${fmtPercent(node.readiness)} ready · ${moveLabel(node.move)}` +
    (Number.isFinite(Number(node.effort)) ? ` · about ${fmtHours(node.effort)} of learning` : "")));
}

async function select(app, roleId, { focus }) {
  const node = view.byId.get(roleId);
  if (!node || node.here) return;
  view.selected = roleId;
  markSelected(roleId);
  for (const button of document.querySelectorAll("#role-list button[data-role]")) {
    const on = button.dataset.role === roleId;
    button.classList.toggle("selected", on);
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }
  await showDetail(app, view.person, node, { focus, onTarget: (role) => setTarget(app, role) });
}

// ------------------------------------------------------------------ search and target

async function search(app) {
  const input = byId("role-query");
  const q = input.value.trim();
  const results = byId("search-results");
  if (!q) {
    input.setAttribute("aria-invalid", "true");
    fill(results, h("p", { class: "message error" }, "Type a role title or what the work involves."));
    input.focus();
    return;
  }
  input.removeAttribute("aria-invalid");
  let page;
  try {
    page = await busy(results, `Searching for “${q}”…`, () =>
      call("/v1/roles", { query: { q, limit: SEARCH_HITS, min_score: SEARCH_MIN_SCORE } }));
  } catch (err) {
    fill(results, h("p", { class: "message error" }, err.readable || String(err)));
    return;
  }
  if (!page.items.length) {
    fill(results, h("p", { class: "message empty", id: "no-match" },
      `No role matches “${q}”. Try another word, such as a skill or a job family.`));
    announce(`No role matches ${q}.`);
    return;
  }
  fill(results,
    h("p", { class: "hint" }, `${page.items.length} role${page.items.length === 1 ? "" : "s"} for “${q}”:`),
    h("ul", { class: "results", "aria-label": `Roles matching ${q}` }, page.items.map((role) =>
      h("li", {},
        h("span", {}, h("strong", {}, role.title),
          h("span", { class: "meta" }, ` · ${role.family || "no family"}` +
            (role.seniority ? ` · level ${role.seniority}` : ""))),
        role.id === view.person.role_id
          ? h("span", { class: "badge" }, "your current role")
          : h("button", {
            type: "button",
            class: "primary",
            onclick: () => setTarget(app, { id: role.id, title: role.title }),
          }, "Set as target", h("span", { class: "visually-hidden" }, `: ${role.title}`))))));
  announce(`${page.items.length} roles found.`);
}

async function setTarget(app, role) {
  app.target = { id: role.id, title: role.title, forPerson: view.person.id };
  fill(byId("search-results"));
  await loadTarget(app);
}

async function loadTarget(app) {
  const target = app.target;
  const box = byId("target-box");
  byId("graph-title").textContent = `Paths to ${target.title}`;
  byId("graph-hint").textContent = `the ${TARGET_PATHS} best, up to ${TARGET_HOPS} moves`;
  let result;
  try {
    result = await busy(box, `Finding paths to ${target.title}…`, () =>
      call("/v1/paths", {
        query: { employee_id: view.person.id, to: target.id, k: TARGET_PATHS, max_hops: TARGET_HOPS },
      }));
  } catch (err) {
    fill(box, h("div", { class: "card" }, h("p", { class: "message error", role: "alert" },
      err.readable || String(err),
      h("button", { type: "button", class: "retry", onclick: () => loadTarget(app) }, "Try again"),
      h("button", { type: "button", class: "retry", onclick: () => clearTarget(app) }, "Clear target"))));
    return;
  }
  view.paths = result.items;
  const banner = h("div", { class: "target-banner" },
    h("span", {}, "Target: ", h("strong", {}, target.title)),
    h("button", { type: "button", onclick: () => clearTarget(app) }, "Clear target"),
    h("a", { class: "button", href: `#/plan/${encodeURIComponent(view.person.id)}`,
      onclick: () => { app.planTarget = target.id; } }, "Plan for this role"));
  if (!result.items.length) {
    fill(box, h("div", { class: "card" }, banner,
      h("p", { class: "message empty", id: "no-path" },
        `No internal path from ${view.person.role_title} to ${target.title} within ${TARGET_HOPS} moves. ` +
        "You can still see what the role needs."),
      h("button", { type: "button", onclick: () => openRole(app, target) }, `See the gaps for ${target.title}`)));
    const model = buildModel(app, [], [], target.id);
    render(app, model);
    announce(`No path to ${target.title}.`);
    await openRole(app, target);
    return;
  }
  fill(box, h("div", { class: "card" }, banner, h("h3", { class: "section" }, "Best paths"),
    h("ol", { class: "paths" }, result.items.map((path, i) => pathCard(app, path, i)))));
  render(app, buildModel(app, [], result.items, target.id));
  announce(`${result.items.length} paths to ${target.title}.`);
  const first = result.items[0];
  await openHop(app, first, first.hops.length - 1);
}

function pathCard(app, path, index) {
  const moves = path.hops.length;
  return h("li", { class: "path" },
    h("h4", {}, `Path ${index + 1}`,
      h("span", { class: "badge" }, `${moves} move${moves === 1 ? "" : "s"}`),
      h("span", { class: "badge" }, `about ${fmtHours(path.total_effort_hours)} of learning`)),
    h("ol", { class: "hops", "aria-label": `Moves of path ${index + 1}` }, path.hops.map((hop, i) =>
      h("li", {},
        i > 0 ? h("span", { class: "arrow", "aria-hidden": "true" }, "→") : null,
        h("button", {
          type: "button",
          class: `link`,
          onclick: () => openHop(app, path, i),
        }, `${hop.to_title} (${moveLabel(hop.move)}, ${fmtPercent(hop.readiness)} ready)`)))));
}

async function openHop(app, path, step) {
  const hop = path.hops[step];
  const node = {
    ...(view.byId.get(hop.to_role) || {}),
    id: hop.to_role, title: hop.to_title, depth: step + 1, readiness: hop.readiness,
    move: hop.move, effort: hop.effort_hours, hop, place: { path, step }, rec: null,
  };
  view.selected = hop.to_role;
  markSelected(hop.to_role);
  await showDetail(app, view.person, node, { focus: false, onTarget: (role) => setTarget(app, role) });
}

async function openRole(app, role) {
  const node = { id: role.id, title: role.title, depth: null, readiness: null, hop: null, rec: null };
  await showDetail(app, view.person, node, { focus: false, onTarget: (r) => setTarget(app, r) });
}

async function clearTarget(app) {
  app.target = null;
  announce("Target cleared.");
  await loadExploration(app);
}
