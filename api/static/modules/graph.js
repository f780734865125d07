// The career graph drawn with cytoscape (vendored, a global `cytoscape`). The graph is a
// picture for pointer users; the role list next to it is the keyboard and screen-reader
// equivalent, so every node's information is also in the node's text (never colour alone).

import { band, fmtPercent } from "./dom.js";

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
      width: 132,
      height: 52,
      label: "data(label)",
      "text-wrap": "wrap",
      "text-max-width": 124,
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
      "curve-style": "bezier",
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
 * Draw `model` ({nodes: [{id, title, readiness, depth, here, target}], edges: [{from, to,
 * move, onPath}]}) into `container`; `onSelect(id)` when a node is tapped.
 */
export function drawGraph(container, model, onSelect) {
  if (typeof window.cytoscape !== "function") {
    container.textContent = "The graph library did not load; use the list of roles below.";
    return;
  }
  destroyGraph();
  const elements = [
    ...model.nodes.map((node) => ({ group: "nodes", data: nodeData(node), classes: nodeClasses(node) })),
    ...model.edges.map((edge) => ({
      group: "edges",
      data: { id: `${edge.from}->${edge.to}`, source: edge.from, target: edge.to },
      classes: [edge.move, edge.onPath ? "on-path" : ""].filter(Boolean).join(" "),
    })),
  ];
  const here = model.nodes.find((n) => n.here);
  cy = window.cytoscape({
    container,
    elements,
    style: STYLE,
    layout: {
      name: "breadthfirst",
      directed: true,
      roots: here ? [here.id] : undefined,
      spacingFactor: 0.95,
      padding: 12,
      avoidOverlap: true,
      nodeDimensionsIncludeLabels: false,
    },
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
