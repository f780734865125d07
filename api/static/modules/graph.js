// The career graph drawn with cytoscape (vendored, a global `cytoscape`). The graph is a
// picture for pointer users; the role list next to it is the keyboard and screen-reader
// equivalent, so every node's information is also in the node's text (never colour alone).

import { band, fmtPercent } from "./dom.js";

const COLUMN_GAP = 210; // px between move columns: room to see each edge's line style
const ROW_GAP = 64; // px between roles in a column (node height 52)
const NODE_WIDTH = 132;
const MIN_HEIGHT = 200;
const MAX_HEIGHT = 640;

const COLOURS = {
  high: { fill: "#dafbe1", border: "#1a7f37" },
  mid: { fill: "#fff8c5", border: "#9a6700" },
  low: { fill: "#fff1e5", border: "#bc4c00" },
};

const STYLE = [
  {
    selector: "node",
    style: {
      shape: "round-rectangle",
      width: NODE_WIDTH,
      height: 52,
      label: "data(label)",
      "text-wrap": "wrap",
      "text-max-width": NODE_WIDTH - 8,
      "text-valign": "center",
      "text-halign": "center",
      "font-size": 11,
      "font-family": "system-ui, sans-serif",
      color: "#1b1f24",
      "background-color": "data(fill)",
      "border-width": 2,
      "border-color": "data(border)",
    },
  },
  {
    selector: "node.here",
    style: { "background-color": "#24292f", "border-color": "#24292f", color: "#ffffff", "font-weight": "bold" },
  },
  { selector: "node.target", style: { "border-width": 6, "border-style": "double", "border-color": "#0a58ca" } },
  { selector: "node.selected", style: { "overlay-color": "#0a58ca", "overlay-opacity": 0.18, "overlay-padding": 6 } },
  {
    selector: "edge",
    style: {
      width: 2,
      // right-angled edges leave the role, turn once and enter the next role from its left:
      // they never cross another role's box in the column layout
      "curve-style": "taxi",
      "taxi-direction": "rightward",
      "taxi-turn": 16,
      "taxi-turn-min-distance": 4,
      "line-color": "#6e7781",
      "target-arrow-color": "#6e7781",
      "target-arrow-shape": "triangle",
      "arrow-scale": 1.1,
    },
  },
  { selector: "edge.lateral", style: { "line-style": "dashed" } },
  { selector: "edge.down", style: { "line-style": "dotted" } },
  { selector: "edge.on-path", style: { width: 4, "line-color": "#0a58ca", "target-arrow-color": "#0a58ca" } },
];

let cy = null;

/**
 * Left to right: your role, then one column per number of moves. Roles one move away are
 * ordered by readiness; further roles sit next to the role they are reached from.
 */
function columnLayout(model) {
  const parents = new Map();
  for (const edge of model.edges) {
    if (!parents.has(edge.to)) parents.set(edge.to, edge.from);
  }
  const columns = new Map();
  for (const node of model.nodes) {
    const depth = columnOf(node);
    if (!columns.has(depth)) columns.set(depth, []);
    columns.get(depth).push(node);
  }
  // a direct move to the target runs straight across: keep the middle row free for it
  const here = model.nodes.find((n) => n.here);
  const target = model.nodes.find((n) => n.target);
  const direct = here && target && model.edges.some((e) => e.from === here.id && e.to === target.id);
  const positions = new Map();
  let rows = 1;
  for (const depth of [...columns.keys()].sort((a, b) => a - b)) {
    const column = columns.get(depth);
    const parentY = (n) => (positions.get(parents.get(n.id)) || { y: 0 }).y;
    column.sort((a, b) => (depth <= 1 ? 0 : parentY(a) - parentY(b)) ||
      (a.order ?? 0) - (b.order ?? 0) || (b.readiness ?? 0) - (a.readiness ?? 0));
    const slots = column.map((_, i) => i);
    const inBetween = depth > 0 && !column.some((n) => n.target);
    if (direct && inBetween && column.length % 2 === 1) {
      const middle = (column.length - 1) / 2;
      for (let i = 0; i < slots.length; i += 1) if (i > middle) slots[i] += 1;
    }
    const count = slots.length ? slots[slots.length - 1] + 1 : 0;
    rows = Math.max(rows, count);
    const top = -((count - 1) * ROW_GAP) / 2;
    column.forEach((node, i) => positions.set(node.id, { x: depth * COLUMN_GAP, y: top + slots[i] * ROW_GAP }));
  }
  return { positions, rows, columns: columns.size };
}

function columnOf(node) {
  if (node.here) return 0;
  return node.column || node.depth || 1;
}

/**
 * Draw `model` ({nodes: [{id, title, readiness, depth, here, target}], edges: [{from, to,
 * move, onPath}]}) into `container`; `onSelect(id)` when a node is tapped.
 */
export function drawGraph(container, model, onSelect) {
  if (typeof window.cytoscape !== "function") {
    container.textContent = "The graph library did not load; use the list of roles below.";
    return;
  }
  destroyGraph();
  container.replaceChildren(); // a message left by a failed load
  const elements = [
    ...model.nodes.map((node) => ({ group: "nodes", data: nodeData(node), classes: nodeClasses(node) })),
    ...model.edges.map((edge) => ({
      group: "edges",
      data: { id: `${edge.from}->${edge.to}`, source: edge.from, target: edge.to },
      classes: [edge.move, edge.onPath ? "on-path" : ""].filter(Boolean).join(" "),
    })),
  ];
  const { positions, rows, columns } = columnLayout(model);
  // as tall as the drawing needs at the zoom its width allows (phones zoom out)
  const scale = Math.min(1, container.clientWidth / ((columns - 1) * COLUMN_GAP + NODE_WIDTH + 40));
  const height = rows * ROW_GAP * scale + 40;
  container.style.height = `${Math.round(Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, height)))}px`;
  cy = window.cytoscape({
    container,
    elements,
    style: STYLE,
    layout: { name: "preset", positions: (node) => positions.get(node.id()), fit: true, padding: 16 },
    minZoom: 0.3,
    maxZoom: 1.25,
    userZoomingEnabled: false,
    userPanningEnabled: false,
    boxSelectionEnabled: false,
    autoungrabify: true,
    autounselectify: true,
  });
  cy.on("tap", "node", (event) => onSelect(event.target.id()));
  cy.on("mouseover", "node", () => { container.style.cursor = "pointer"; });
  cy.on("mouseout", "node", () => { container.style.cursor = ""; });
}

function nodeData(node) {
  const label = node.here
    ? `${node.title}\nyou are here`
    : `${node.title}\n${fmtPercent(node.readiness)} ready`;
  const colours = node.here ? { fill: "#24292f", border: "#24292f" } : COLOURS[band(node.readiness).key];
  return { id: node.id, label, fill: colours.fill, border: colours.border };
}

function nodeClasses(node) {
  return [node.here ? "here" : "", node.target ? "target" : ""].filter(Boolean).join(" ");
}

export function markSelected(id) {
  if (!cy) return;
  cy.nodes().removeClass("selected");
  if (id) cy.getElementById(id).addClass("selected");
}

/** Call after the container was hidden and shown again. */
export function refitGraph() {
  if (!cy) return;
  cy.resize();
  cy.fit(undefined, 12);
}

export function destroyGraph() {
  if (cy) {
    cy.destroy();
    cy = null;
  }
}
