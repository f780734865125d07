// "My plan": create or open a development plan for a target role; its 70-20-10 mix, goals,
// timeline and checkpoints. The plan's manager approves or returns pending checkpoints here
// (or in "My team"); the employee resubmits returned ones.

import { ApiError, call } from "./api.js";
import { announce, busy, byId, fill, fmtHours, fmtLevel, fmtPercent, h } from "./dom.js";

const CHANNELS = [
  { key: "experience", label: "Experience", hint: "on-the-job: projects, stretch assignments" },
  { key: "people", label: "People", hint: "mentoring, communities" },
  { key: "formal", label: "Formal", hint: "courses, books, workshops" },
];
const STATUS_LABELS = { pending: "waiting for approval", approved: "approved", returned: "returned" };

let current = { personId: null, plans: [], shownId: null };

export async function showPlan(app, personId) {
  fill(byId("plan-message"));
  const roles = await app.loadRoles();
  let person;
  let plans;
  try {
    [person, plans] = await busy(byId("plan-body"), "Loading plans…", () => Promise.all([
      call(`/v1/employees/${encodeURIComponent(personId)}`),
      call(`/v1/employees/${encodeURIComponent(personId)}/plans`, { query: { limit: 50 } }),
    ]));
  } catch (err) {
    fill(byId("plan-create"));
    fill(byId("plan-list"));
    fill(byId("plan-message"), h("p", { class: "message error" }, err.readable || String(err)),
      personId !== app.me.subject ? h("p", {}, h("a", { href: "#/plan" }, "Back to your own plan")) : null);
    byId("plan-create").hidden = true;
    return;
  }
  byId("plan-create").hidden = false;
  const mine = person.id === app.me.subject;
  byId("plan-title").textContent = mine ? "My plan" : `Plan of ${person.name}`;
  current = { personId, plans: sortPlans(plans.items), shownId: null };
  renderCreate(app, person, roles);
  const wanted = app.planTarget && current.plans.find((p) => p.target_role_id === app.planTarget);
  showOne(app, wanted || current.plans[0] || null);
}

function sortPlans(plans) {
  return [...plans].sort((a, b) => String(b.created_at).localeCompare(String(a.created_at)));
}

function renderCreate(app, person, roles) {
  const options = Object.values(roles)
    .filter((r) => r.id !== person.role_id)
    .sort((a, b) => a.title.localeCompare(b.title));
  const preferred = app.planTarget || (app.target && app.target.id) || "";
  const select = h("select", { id: "plan-target" },
    h("option", { value: "" }, "Choose a target role…"),
    options.map((r) => h("option", { value: r.id, selected: r.id === preferred }, `${r.title}${r.family ? ` (${r.family})` : ""}`)));
  const form = h("form", { id: "plan-form", novalidate: true },
    h("div", { class: "field" },
      h("label", { for: "plan-target" }, "Target role ",
        h("span", { class: "hint" }, `from ${person.role_title || person.role_id}`)),
      select),
    h("button", { class: "primary", type: "submit" }, "Create plan"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    createPlan(app, person, select);
  });
  fill(byId("plan-create"), h("h3", {}, "A plan for a target role"),
    h("p", { class: "hint" }, "The plan turns your gaps into goals, picks actions in the 70-20-10 mix " +
      "(experience, people, formal learning), lays them on a timeline and sets checkpoints your manager approves."),
    form);
}

async function createPlan(app, person, select) {
  const target = select.value;
  if (!target) {
    select.setAttribute("aria-invalid", "true");
    fill(byId("plan-message"), h("p", { class: "message error" }, "Choose a target role first."));
    select.focus();
    return;
  }
  select.removeAttribute("aria-invalid");
  fill(byId("plan-message"));
  const existing = current.plans.find((p) => p.target_role_id === target && p.status !== "completed");
  if (existing) {
    showOne(app, existing);
    fill(byId("plan-message"), h("p", { class: "message info" },
      `You already have a plan for ${app.roleTitle(target)}; here it is.`));
    return;
  }
  try {
    const plan = await busy(byId("plan-body"), `Building a plan for ${app.roleTitle(target)}…`, () =>
      call(`/v1/employees/${encodeURIComponent(person.id)}/plans`, { method: "POST", body: { target_role: target } }));
    current.plans = sortPlans([plan, ...current.plans]);
    showOne(app, plan);
    announce(`Plan created for ${app.roleTitle(target)}.`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 409) {
      app.planTarget = target;
      await showPlan(app, person.id);
      return;
    }
    fill(byId("plan-message"), h("p", { class: "message error" }, err.readable || String(err)));
  }
}

function showOne(app, plan) {
  renderList(app);
  const body = byId("plan-body");
  if (!plan) {
    fill(body, h("p", { class: "message empty" }, "No plan yet. Choose a target role above and create one."));
    return;
  }
  current.shownId = plan.id;
  renderList(app);
  fill(body, renderPlan(app, plan, (updated) => {
    current.plans = current.plans.map((p) => (p.id === updated.id ? updated : p));
    showOne(app, updated);
  }));
}

function renderList(app) {
  const list = byId("plan-list");
  if (current.plans.length < 2) {
    fill(list);
    return;
  }
  fill(list, h("div", { class: "card" }, h("h3", {}, "Your plans"),
    h("ul", { class: "results" }, current.plans.map((p) => h("li", {},
      h("span", {}, h("strong", {}, app.roleTitle(p.target_role_id)),
        h("span", { class: "meta" }, ` · started ${p.start} · ${approvedCount(p)} · ${p.status}`)),
      h("button", {
        type: "button",
        "aria-pressed": p.id === current.shownId ? "true" : "false",
        onclick: () => showOne(app, p),
      }, p.id === current.shownId ? "Shown" : "Open", h("span", { class: "visually-hidden" }, `: ${app.roleTitle(p.target_role_id)}`)))))));
}

function approvedCount(plan) {
  const done = plan.checkpoints.filter((c) => c.status === "approved").length;
  return `${done} of ${plan.checkpoints.length} checkpoints approved`;
}

// ------------------------------------------------------------------ one plan

export function renderPlan(app, plan, onUpdated) {
  return h("article", { class: "card", id: "plan", "aria-labelledby": "plan-heading" },
    h("h3", { id: "plan-heading" }, `${app.roleTitle(plan.role_id)} → ${app.roleTitle(plan.target_role_id)}`),
    h("div", { class: "plan-summary" },
      stat(`${fmtPercent(plan.readiness)} → ${fmtPercent(plan.projected_readiness)}`, "readiness now → after the plan"),
      stat(`${plan.weeks} weeks`, `at ${fmtLevel(plan.hours_per_week)} h a week, from ${plan.start}`),
      stat(fmtHours(plan.total_hours), `of effort in ${plan.actions.length} actions`),
      stat(approvedCount(plan).split(" checkpoints")[0], "checkpoints approved")),
    plan.flags.length ? h("p", { class: "hint" }, "Notes: ", plan.flags.map(flagText).join("; "), ".") : null,
    mixSection(plan),
    goalsSection(plan),
    timelineSection(plan),
    checkpointsSection(app, plan, onUpdated));
}

function stat(value, name) {
  return h("div", { class: "stat" }, h("span", { class: "value" }, value), h("span", { class: "name" }, name));
}

function flagText(flag) {
  const [kind, what] = flag.split(":");
  if (kind === "no_action_for") return `no action found for ${what}`;
  return flag.replace(/_/g, " ");
}

function mixSection(plan) {
  return h("section", { class: "section", "aria-labelledby": "mix-title" },
    h("h4", { id: "mix-title" }, "70-20-10 mix of effort"),
    h("div", { class: "mix" }, CHANNELS.map((c) => {
      const share = (plan.mix[c.key] || 0) * 100;
      const aim = (plan.target_mix[c.key] || 0) * 100;
      const fillBar = h("span", { class: `fill ${c.key}` });
      const mark = h("span", { class: "mark" });
      fillBar.style.width = `${share}%`;
      mark.style.left = `calc(${aim}% - 1px)`;
      return h("div", { class: "mix-row" },
        h("span", { title: c.hint }, c.label),
        h("span", { class: "mix-bar", "aria-hidden": "true" }, fillBar, mark),
        h("span", {}, `${Math.round(share)}% (aim ${Math.round(aim)}%)`));
    })));
}

function goalsSection(plan) {
  return h("section", { class: "section", "aria-labelledby": "goals-title" },
    h("h4", { id: "goals-title" }, `Goals (${plan.goals.length})`),
    h("div", { class: "table-wrap" }, h("table", {},
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Skill"), h("th", { scope: "col" }, "From"),
        h("th", { scope: "col" }, "To"), h("th", { scope: "col" }, "The plan reaches"))),
      h("tbody", {}, plan.goals.map((g) => h("tr", {},
        h("td", {}, g.label), h("td", {}, fmtLevel(g.from_level)), h("td", {}, fmtLevel(g.to_level)),
        h("td", {}, fmtLevel(g.reached_level))))))));
}

function timelineSection(plan) {
  const weeks = Math.max(plan.weeks, 1);
  const actions = [...plan.actions].sort((a, b) => a.start_week - b.start_week || a.end_week - b.end_week);
  return h("section", { class: "section", "aria-labelledby": "timeline-title" },
    h("h4", { id: "timeline-title" }, "Timeline"),
    h("ol", { class: "timeline" }, actions.map((a) => {
      const span = h("span", { class: `span ${a.channel}` });
      span.style.left = `${((a.start_week - 1) / weeks) * 100}%`;
      span.style.width = `${((a.end_week - a.start_week + 1) / weeks) * 100}%`;
      return h("li", {},
        h("div", { class: "what" }, h("strong", {}, a.title),
          h("div", { class: "hint" }, `${a.channel} · ${a.modality.replace(/_/g, " ")} · ${fmtHours(a.effort_hours)} · weeks ${a.start_week}–${a.end_week}`)),
        h("div", { class: "when", "aria-hidden": "true" }, span));
    })));
}

function checkpointsSection(app, plan, onUpdated) {
  return h("section", { class: "section", "aria-labelledby": "cp-title" },
    h("h4", { id: "cp-title" }, "Checkpoints"),
    h("ol", { class: "checkpoints" }, plan.checkpoints.map((cp) =>
      h("li", { class: "checkpoint", "data-checkpoint": cp.id },
        checkpointHead(cp),
        checkpointControls(app, plan, cp, onUpdated)))));
}

export function checkpointHead(cp) {
  return [
    h("div", { class: "cp-head" },
      h("span", {}, cp.description),
      h("span", { class: `badge ${cp.status}` }, STATUS_LABELS[cp.status] || cp.status)),
    h("div", { class: "hint" }, `due ${cp.due}` + (cp.decided_on ? ` · decided ${cp.decided_on}` : "") +
      (cp.approver_id ? ` by ${cp.approver_id}` : "")),
    cp.comment ? h("p", { class: "hint" }, `Comment: “${cp.comment}”`) : null,
  ];
}

/** Approve / return (the plan's manager, pending) or resubmit (the employee, returned). */
export function checkpointControls(app, plan, cp, onUpdated) {
  const isManager = plan.manager_id && plan.manager_id === app.me.subject;
  const isOwner = plan.employee_id === app.me.subject;
  if (!(isManager && cp.status === "pending") && !(isOwner && cp.status === "returned")) return null;
  const id = `cp-${plan.id}-${cp.id}`.replace(/[^A-Za-z0-9_-]/g, "_");
  const comment = h("textarea", { id: `${id}-comment`, maxlength: 2000 });
  const note = h("p", { class: "hint", "aria-live": "polite" });
  const act = async (action, needsComment) => {
    if (needsComment && !comment.value.trim()) {
      comment.setAttribute("aria-invalid", "true");
      note.textContent = "Say what to redo before returning the checkpoint.";
      comment.focus();
      return;
    }
    comment.removeAttribute("aria-invalid");
    note.textContent = "Saving…";
    try {
      const updated = await call(
        `/v1/plans/${encodeURIComponent(plan.id)}/checkpoints/${encodeURIComponent(cp.id)}/${action}`,
        { method: "POST", body: { comment: comment.value.trim() } });
      const done = { approve: "approved", return: "returned", resubmit: "resubmitted" }[action];
      announce(`Checkpoint ${done}: ${cp.description}.`);
      onUpdated(updated);
    } catch (err) {
      note.textContent = err.readable || String(err);
    }
  };
  if (isManager) {
    return h("div", { class: "decision" },
      h("label", { for: comment.id }, "Comment ", h("span", { class: "hint" }, "(needed to return)")),
      comment,
      h("div", { class: "row" },
        h("button", { type: "button", class: "primary", onclick: () => act("approve", false) }, "Approve",
          h("span", { class: "visually-hidden" }, `: ${cp.description}`)),
        h("button", { type: "button", class: "danger", onclick: () => act("return", true) }, "Return",
          h("span", { class: "visually-hidden" }, `: ${cp.description}`))),
      note);
  }
  return h("div", { class: "decision" },
    h("label", { for: comment.id }, "What you did since ", h("span", { class: "hint" }, "(optional)")),
    comment,
    h("div", { class: "row" },
      h("button", { type: "button", class: "primary", onclick: () => act("resubmit", false) }, "Resubmit",
        h("span", { class: "visually-hidden" }, `: ${cp.description}`))),
    note);
}
