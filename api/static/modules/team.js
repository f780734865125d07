// "My team" (managers): direct reports, their plans' pending checkpoints, approve or return.

import { all, call, mapLimited } from "./api.js";
import { announce, busy, byId, fill, h } from "./dom.js";
import { checkpointControls, checkpointHead } from "./plan.js";

const PARALLEL = 4;

export async function showTeam(app) {
  fill(byId("team-message"));
  const body = byId("team-body");
  if (app.me.role !== "manager") {
    fill(body, h("p", { class: "message info" }, "This page is for managers: people who have reports."));
    return;
  }
  await app.loadRoles();
  let team;
  try {
    team = await busy(body, "Loading your team's plans…", () => loadTeam(app));
  } catch (err) {
    fill(body, h("p", { class: "message error" }, err.readable || String(err)));
    return;
  }
  render(app, team);
}

async function loadTeam(app) {
  const people = await all("/v1/employees");
  const direct = people.filter((p) => p.manager_id === app.me.subject)
    .sort((a, b) => a.name.localeCompare(b.name));
  const plans = await mapLimited(direct, PARALLEL, (p) =>
    call(`/v1/employees/${encodeURIComponent(p.id)}/plans`, { query: { limit: 50 } }));
  return direct.map((person, i) => ({ person, plans: plans[i].items }));
}

function render(app, team) {
  const body = byId("team-body");
  if (!team.length) {
    fill(body, h("p", { class: "message empty" }, "Nobody reports to you directly."));
    return;
  }
  const waiting = team.reduce((n, t) => n + pendingOf(t.plans).length, 0);
  fill(body,
    h("p", { id: "team-summary" }, waiting
      ? `${waiting} checkpoint${waiting === 1 ? "" : "s"} wait${waiting === 1 ? "s" : ""} for your decision.`
      : "No checkpoint waits for your decision."),
    team.filter((t) => pendingOf(t.plans).length).map((entry) => personCard(app, entry)),
    othersTable(team.filter((t) => !pendingOf(t.plans).length)));
  announce(`${waiting} checkpoints wait for your decision.`);
}

function pendingOf(plans) {
  return plans.flatMap((plan) => plan.checkpoints.filter((c) => c.status === "pending").map((cp) => ({ plan, cp })));
}

function personCard(app, entry) {
  const { person } = entry;
  const card = h("section", { class: "card", "aria-labelledby": `team-${person.id}`, "data-person": person.id });
  const draw = () => {
    const plans = entry.plans;
    const pending = pendingOf(plans);
    fill(card,
      h("h3", { id: `team-${person.id}` }, person.name,
        h("span", { class: "hint" }, ` · ${person.role_title || person.role_id}`)),
      h("div", { class: "row" },
        h("a", { class: "button", href: `#/explore/${encodeURIComponent(person.id)}` }, "Career paths",
          h("span", { class: "visually-hidden" }, ` of ${person.name}`)),
        h("a", { class: "button", href: `#/plan/${encodeURIComponent(person.id)}` }, "Plans",
          h("span", { class: "visually-hidden" }, ` of ${person.name}`))),
      plans.length === 0
        ? h("p", { class: "hint" }, "No development plan yet.")
        : h("p", { class: "hint" }, `${plans.length} plan${plans.length === 1 ? "" : "s"}; ` +
          `${pending.length} checkpoint${pending.length === 1 ? "" : "s"} pending.`),
      pending.length
        ? h("ol", { class: "checkpoints" }, pending.map(({ plan, cp }) =>
          h("li", { class: "checkpoint", "data-checkpoint": cp.id, "data-plan": plan.id },
            h("div", { class: "hint" }, `Plan towards ${app.roleTitle(plan.target_role_id)}`),
            checkpointHead(cp),
            checkpointControls(app, plan, cp, (updated) => {
              entry.plans = entry.plans.map((p) => (p.id === updated.id ? updated : p));
              draw();
              const left = byId("team-body").querySelectorAll(".checkpoint").length;
              byId("team-summary").textContent = left
                ? `${left} checkpoint${left === 1 ? " waits" : "s wait"} for your decision.`
                : "No checkpoint waits for your decision.";
            }))))
        : null);
  };
  draw();
  return card;
}

function othersTable(rest) {
  if (!rest.length) return null;
  return h("section", { class: "card team-others", "aria-labelledby": "team-others-title" },
    h("h3", { id: "team-others-title" }, "Nothing waiting"),
    h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Person"), h("th", { scope: "col" }, "Role"),
        h("th", { scope: "col" }, "Plans"), h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Links")))),
      h("tbody", {}, rest.map(({ person, plans }) => h("tr", { "data-person": person.id },
        h("td", {}, person.name), h("td", {}, person.role_title || person.role_id),
        h("td", {}, String(plans.length)),
        h("td", {}, h("div", { class: "row" },
          h("a", { href: `#/explore/${encodeURIComponent(person.id)}` }, "Career paths",
            h("span", { class: "visually-hidden" }, ` of ${person.name}`)),
          h("a", { href: `#/plan/${encodeURIComponent(person.id)}` }, "Plans",
            h("span", { class: "visually-hidden" }, ` of ${person.name}`))))))))));
}
