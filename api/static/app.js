// The career-path explorer: sign in, where can I go, my plan, my team.
// Routes live in the URL hash: #/explore[/EMPLOYEE], #/plan[/EMPLOYEE], #/team.

import { ApiError, call, readToken, session, setUnauthenticatedHandler } from "./modules/api.js";
import { announce, byId, fill, h } from "./modules/dom.js";
import { resetExplore, showExplore } from "./modules/explore.js";
import { showPlan } from "./modules/plan.js";
import { showSignIn } from "./modules/signin.js";
import { showTeam } from "./modules/team.js";

const VIEWS = ["signin", "explore", "plan", "team"];
const PEOPLE_ROLES = ["employee", "manager"]; // token roles whose subject is an employee id

/** What every view shares: who is signed in, the role catalogue, the chosen target. */
export const app = {
  me: null, // {subject, role, expires}
  meta: null,
  roles: null, // id -> role (title, family, seniority), loaded once
  target: null, // {id, title}
  go,
  signOut,
  roleTitle,
  loadRoles,
  showError,
  clearError,
};

function go(hash) {
  if (window.location.hash === hash) route();
  else window.location.hash = hash;
}

function parseRoute() {
  const parts = window.location.hash.replace(/^#\/?/, "").split("/").filter(Boolean);
  const view = VIEWS.includes(parts[0]) ? parts[0] : "explore";
  return { view, employeeId: parts[1] ? decodeURIComponent(parts[1]) : null };
}

let shownView = null;

function showView(name) {
  const changed = shownView !== name;
  shownView = name;
  for (const view of VIEWS) byId(`view-${view}`).hidden = view !== name;
  if (changed) {
    // a new view starts at its heading, for keyboard and screen-reader users too
    window.scrollTo(0, 0);
    byId(`${name}-title`).focus({ preventScroll: true });
  }
  for (const link of document.querySelectorAll("#nav a[data-view]")) {
    if (link.dataset.view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function route() {
  clearError();
  const { view, employeeId } = parseRoute();
  app.me = readToken(session.token);
  if (!app.me || view === "signin") {
    signedOutChrome();
    showView("signin");
    await showSignIn(app);
    return;
  }
  signedInChrome();
  if (!(await knowMe())) return; // the token was refused: back to sign-in
  showView(view);
  const subject = employeeId || app.me.subject;
  if (!employeeId && view !== "team" && !PEOPLE_ROLES.includes(app.me.role)) {
    fill(byId("page-error"), h("p", { class: "message info" },
      `Signed in as ${app.me.subject} (${app.me.role}), not as an employee: add a person's id ` +
      `to the address to see their page, e.g. #/${view}/e0001.`));
    return;
  }
  try {
    if (view === "plan") await showPlan(app, subject);
    else if (view === "team") await showTeam(app);
    else await showExplore(app, subject);
  } catch (err) {
    showError(err);
  }
}

function signedInChrome() {
  byId("nav").hidden = false;
  byId("who").hidden = false;
  byId("nav-team").hidden = app.me.role !== "manager";
  byId("who-name").textContent = app.meRecord ? app.meRecord.name : app.me.subject;
  byId("who-role").textContent = app.me.role.replace("_", " ");
}

/** The signed-in person's name for the top bar; false when the token is refused. */
async function knowMe() {
  if (app.meRecord && app.meRecord.id === app.me.subject) return true;
  if (!PEOPLE_ROLES.includes(app.me.role)) return true;
  try {
    app.meRecord = await call(`/v1/employees/${encodeURIComponent(app.me.subject)}`);
    byId("who-name").textContent = app.meRecord.name;
    return true;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return false;
    showError(err);
    return true;
  }
}

function signedOutChrome() {
  byId("nav").hidden = true;
  byId("who").hidden = true;
}

function signOut(message) {
  session.token = null;
  app.me = null;
  app.meRecord = null;
  app.target = null;
  app.roles = null;
  resetExplore();
  const box = byId("signin-message");
  fill(box);
  if (message) box.append(h("p", { class: "message error" }, message));
  go("#/signin");
}

async function loadRoles() {
  if (app.roles) return app.roles;
  const roles = {};
  for (let offset = 0; ; offset += 200) {
    const page = await call("/v1/roles", { query: { offset, limit: 200 } });
    for (const role of page.items) roles[role.id] = role;
    if (Object.keys(roles).length >= page.total || page.items.length === 0) break;
  }
  app.roles = roles;
  return roles;
}

function roleTitle(roleId) {
  const role = app.roles && app.roles[roleId];
  return role ? role.title : roleId;
}

/** A readable message for any failure; never a blank page. */
function showError(err, where = byId("page-error")) {
  if (err instanceof ApiError && err.status === 401) return; // handled: back to sign-in
  const text = err instanceof ApiError ? err.readable : `Something went wrong on this page: ${err && err.message ? err.message : err}`;
  fill(where, h("p", { class: "message error" }, text));
  announce(text);
}

function clearError() {
  fill(byId("page-error"));
}

async function showCredits() {
  const footer = byId("credits");
  try {
    app.meta = await call("/v1/meta", { auth: false });
  } catch (err) {
    fill(footer, h("p", {}, "skillgraph"));
    return;
  }
  const { sources, attributions, version } = app.meta;
  fill(
    footer,
    h("ul", {},
      sources.length ? h("li", {}, `Data: ${sources.join("; ")}.`) : null,
      attributions.map((text) => h("li", { class: "attribution" }, text)),
      h("li", {}, `skillgraph ${version} · recommendations are suggestions to discuss with your manager, not decisions.`),
    ),
  );
}

function start() {
  setUnauthenticatedHandler((err) => {
    const reason = err.detail || "the token was not accepted";
    signOut(`You have been signed out: ${reason}. Please sign in again.`);
  });
  byId("sign-out").addEventListener("click", () => signOut("You signed out."));
  window.addEventListener("hashchange", route);
  window.addEventListener("unhandledrejection", (event) => showError(event.reason));
  window.addEventListener("error", (event) => showError(event.error || event.message));
  showCredits().then(() => route());
}

start();
