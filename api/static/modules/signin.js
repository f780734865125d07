// Sign in: paste a token, or (development mode only) pick a sample person.

import { call, readToken, session } from "./api.js";
import { announce, byId, fill, h } from "./dom.js";

let people = null;
let wired = false;

export async function showSignIn(app) {
  if (!wired) {
    wire(app);
    wired = true;
  }
  const devForm = byId("dev-form");
  devForm.hidden = !(app.meta && app.meta.dev_sign_in);
  if (!devForm.hidden && people === null) await loadPeople();
}

function wire(app) {
  byId("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = byId("token-input");
    const token = input.value.trim();
    if (!readToken(token)) {
      input.setAttribute("aria-invalid", "true");
      say("That is not an access token: a token has three parts separated by dots. Copy it again in full.");
      input.focus();
      return;
    }
    input.removeAttribute("aria-invalid");
    input.value = "";
    signIn(app, token);
  });
  byId("dev-filter").addEventListener("input", () => renderPeople());
  byId("dev-person").addEventListener("dblclick", () => byId("dev-form").requestSubmit());
  byId("dev-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const select = byId("dev-person");
    if (!select.value) {
      say("Choose a person in the list first.");
      select.focus();
      return;
    }
    const button = event.submitter || byId("dev-form").querySelector("button");
    button.disabled = true;
    try {
      const minted = await call("/v1/dev/token", {
        method: "POST",
        body: { employee_id: select.value },
        auth: false,
      });
      signIn(app, minted.token);
    } catch (err) {
      say(err.readable || String(err));
    } finally {
      button.disabled = false;
    }
  });
}

function signIn(app, token) {
  session.token = token;
  fill(byId("signin-message"));
  const who = readToken(token);
  announce(`Signed in as ${who.subject} (${who.role}).`);
  app.go("#/explore");
}

function say(text) {
  fill(byId("signin-message"), h("p", { class: "message error" }, text));
}

async function loadPeople() {
  const select = byId("dev-person");
  fill(select, h("option", { disabled: true }, "Loading people…"));
  try {
    people = await call("/v1/dev/people", { auth: false });
  } catch (err) {
    people = null;
    fill(select);
    say(err.readable || String(err));
    return;
  }
  renderPeople();
}

function renderPeople() {
  if (!people) return;
  const select = byId("dev-person");
  const needle = byId("dev-filter").value.trim().toLowerCase();
  const shown = people.filter((p) =>
    !needle || `${p.name} ${p.id} ${p.role_title} ${p.department}`.toLowerCase().includes(needle));
  const managers = shown.filter((p) => p.is_manager);
  const others = shown.filter((p) => !p.is_manager);
  const option = (p) => h("option", { value: p.id },
    `${p.name} — ${p.role_title}` + (p.is_manager ? ` (manager of ${p.reports})` : "") + ` · ${p.id}`);
  fill(select,
    managers.length ? h("optgroup", { label: "Managers" }, managers.map(option)) : null,
    others.length ? h("optgroup", { label: "Employees" }, others.map(option)) : null);
  byId("dev-count").textContent = `(${shown.length} of ${people.length})`;
  if (shown.length) select.value = shown[0].id;
}
