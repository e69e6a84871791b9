// Small pieces shared by the pages: badges, the SLA countdown, the pager, sort headers.

import { ApiError, download, get } from "./api.js";
import { h, replace, showError, showNotice } from "./dom.js";
import { countdown, dayStart } from "./format.js";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A date field written 年-月-日 ("2026-12-03"): a text input, never the browser's date
 * picker, which shows mm/dd/yyyy under an English locale. */
export function dayInput(id, value, placeholder = "2026-12-03") {
  return h("input", { id, value: value || "", placeholder, inputmode: "numeric", maxlength: 10, class: "day" });
}

/** Whether each [label, input] holds an empty or a real 年-月-日 day; shows the error of the
 * first that does not. */
export function checkDays(fields) {
  for (const [label, input] of fields) {
    const value = input.value.trim();
    if (value && !(DAY.test(value) && dayStart(value))) {
      showError(`${label}“${value}”无法识别：请按 年-月-日 填写，例如 2026-12-03`);
      return false;
    }
  }
  return true;
}

const LEVEL_NAMES = { high: "高风险", medium: "中风险", low: "低风险" };

/** Refresh one countdown element from its data-due attribute. */
export function tick(el, now = Date.now()) {
  const { text, overdue, urgent } = countdown(el.dataset.due, now);
  el.textContent = text;
  el.classList.toggle("overdue", overdue);
  el.classList.toggle("urgent", Boolean(urgent) && !overdue);
}

/** Refresh every countdown on the page (called once a second). */
export function tickAll() {
  const now = Date.now();
  for (const el of document.querySelectorAll("[data-due]")) tick(el, now);
}

/** The SLA cell of a task: a live countdown until the first contact, else what happened. */
export function slaCell(task) {
  if (task.closed_at && !task.first_contact_at) return h("span", { class: "sla sla-done" }, "已结案");
  if (task.first_contact_at) return h("span", { class: "sla sla-done" }, "已联系");
  const el = h("span", { class: "sla", dataset: { due: task.sla_due_at } });
  tick(el);
  return el;
}

export function stateBadge(state, label) {
  return h("span", { class: `badge state state-${state}` }, label || state);
}

export function bandBadge(band, label, priority) {
  const text = priority === undefined ? label : `${label} ${Number(priority).toFixed(1)}`;
  return h("span", { class: `badge band band-${band}`, title: "优先级" }, text);
}

export function levelBadge(level) {
  return h("span", { class: `badge level level-${level}` }, LEVEL_NAMES[level] || level);
}

/** "上一页 第 2 / 5 页，共 103 条 下一页"; onPage(n) is called with the new page. */
export function pager({ page, perPage, count, onPage }) {
  const pages = Math.max(1, Math.ceil(count / perPage));
  const prev = h("button", { type: "button", class: "pager-prev", disabled: page <= 1 }, "‹ 上一页");
  const next = h("button", { type: "button", class: "pager-next", disabled: page >= pages }, "下一页 ›");
  prev.addEventListener("click", () => onPage(page - 1));
  next.addEventListener("click", () => onPage(page + 1));
  return h("nav", { class: "pager", "aria-label": "分页" }, prev, h("span", { class: "pager-info" }, `第 ${page} / ${pages} 页，共 ${count} 条`), next);
}

/** A clickable column header that sorts by ``key``; the active one shows ▼. */
export function sortHeader(label, key, active, onSort) {
  const button = h("button", { type: "button", class: "sort", dataset: { sort: key } }, label, key === active ? " ▼" : " ↕");
  button.addEventListener("click", () => onSort(key));
  return h("th", { "aria-sort": key === active ? "descending" : "none" }, button);
}

/** A labelled form control. */
export function labelled(text, control, hint) {
  return h("label", { class: "control" }, h("span", { class: "control-label" }, text), control, hint ? h("span", { class: "hint" }, hint) : null);
}

/** A <select> from [value, label] pairs. */
export function select(attrs, options, selected) {
  return h(
    "select",
    attrs,
    options.map(([value, label]) => h("option", { value, selected: String(value) === String(selected ?? "") }, label)),
  );
}

/** The choices of a district filter (from GET /districts): every district of the city after
 * "全部辖区", or only the officer's own when they are kept to one. */
export function districtOptions(districts) {
  const options = districts.data.map((name) => [name, name]);
  return districts.own ? options : [["", "全部辖区"], ...options];
}

/** GET ``path``; a 404 shows "<what>不存在" with a link back and resolves to null. */
export async function getOrNotFound(main, path, what, back, backLabel, query) {
  try {
    return await get(path, query);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    replace(main, h("section", { class: "card" }, h("h1", null, `${what}不存在`), h("p", null, error.message), h("a", { href: back }, backLabel)));
    return null;
  }
}

/** The buttons 导出 XLSX / 导出 CSV of a table: each downloads ``/export/<path>.<format>`` with
 * the page's current filters (``query()``) and the look-up reason ``purpose``. */
export function exportButtons(path, query, purpose, { id = "export" } = {}) {
  const button = (format, label) => {
    const el = h("button", { type: "button", class: "small export", id: `${id}-${format}`, dataset: { format } }, label);
    el.addEventListener("click", async () => {
      el.disabled = true;
      try {
        const name = await download(`/export/${path}.${format}`, { ...query(), reason: purpose });
        showNotice("已导出", name);
      } catch (error) {
        showError(error);
      } finally {
        el.disabled = false;
      }
    });
    return el;
  };
  return h("span", { class: "buttons no-print", id }, button("xlsx", "导出 XLSX"), button("csv", "导出 CSV"));
}

/** A 打印 button: prints the page, or only ``section`` (an element) when given. */
export function printButton(section, { id = "print", label = "打印" } = {}) {
  const el = h("button", { type: "button", class: "small no-print", id }, label);
  el.addEventListener("click", () => {
    if (section) {
      section.classList.add("print-target");
      document.body.classList.add("print-section");
    }
    const done = () => {
      document.body.classList.remove("print-section");
      if (section) section.classList.remove("print-target");
      window.removeEventListener("afterprint", done);
    };
    window.addEventListener("afterprint", done);
    window.print();
    // some browsers return from print() without an afterprint event
    setTimeout(done, 1000);
  });
  return el;
}
