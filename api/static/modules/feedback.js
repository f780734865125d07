// "Useful / not useful" on a recommendation, stored through POST /v1/feedback.

import { call } from "./api.js";
import { announce, h } from "./dom.js";

const VERDICTS = [
  { verdict: "useful", label: "Useful" },
  { verdict: "not_useful", label: "Not useful" },
];

/** Buttons for one recommendation: kind (role | content | mentor), id, a title for screen
 * readers, and the context it was shown in (stored with the feedback). */
export function feedbackButtons({ kind, id, title, context }) {
  const note = h("span", { class: "saved", "aria-live": "polite" });
  const buttons = VERDICTS.map(({ verdict, label }) => h("button", {
    type: "button",
    "aria-pressed": "false",
    "data-verdict": verdict,
    onclick: () => send(verdict, label),
  }, label, h("span", { class: "visually-hidden" }, `: ${title}`)));
  const group = h("div", { class: "feedback", role: "group", "aria-label": `Feedback on ${title}` },
    buttons, note);

  async function send(verdict, label) {
    for (const b of buttons) b.disabled = true;
    note.textContent = "Saving…";
    try {
      await call("/v1/feedback", {
        method: "POST",
        body: { target_kind: kind, target_id: id, verdict, context: context.slice(0, 2000) },
      });
      for (const b of buttons) b.setAttribute("aria-pressed", String(b.dataset.verdict === verdict));
      note.textContent = `Saved: ${label.toLowerCase()}. Thank you.`;
      announce(`Feedback saved for ${title}.`);
    } catch (err) {
      note.textContent = err.readable || String(err);
    } finally {
      for (const b of buttons) b.disabled = false;
    }
  }
  return group;
}
