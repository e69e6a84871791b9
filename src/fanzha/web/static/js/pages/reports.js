// 举报审核: citizens' reports wait here until a warning or outreach officer accepts or rejects
// them. Only an accepted report reaches the warning rules (they may open a task or flag the
// number); a rejected one changes nothing.

import { get, post } from "../api.js";
import { h, replace, showNotice, table } from "../dom.js";
import { formatTime, formatYuan } from "../format.js";
import { labelled, levelBadge, pager, select } from "../widgets.js";

const PER_PAGE = 25;
const STATES = [
  ["pending", "待审核"],
  ["accepted", "已采纳"],
  ["rejected", "已驳回"],
  ["all", "全部"],
];

function readFilters(query) {
  const state = query.get("state") || "pending";
  return {
    state: STATES.some(([value]) => value === state) ? state : "pending",
    page: Math.max(1, Number(query.get("page")) || 1),
  };
}

function verdicts(report) {
  if (!report.verdicts.length) return "—";
  return report.verdicts.map((v) => h("div", { class: "report-verdict" }, levelBadge(v.level), " ", v.fraud_type.name));
}

function what(report) {
  const parts = [];
  if (report.number) parts.push(h("div", null, "号码：", report.number));
  if (report.account) parts.push(h("div", null, "账户：", report.account));
  if (report.url) parts.push(h("div", { class: "report-url" }, "链接：", report.url));
  if (report.text) parts.push(h("div", { class: "report-text" }, report.text.length > 200 ? `${report.text.slice(0, 200)}…` : report.text));
  return parts.length ? parts : "—";
}

function victim(report) {
  if (!report.being_defrauded) return h("span", { class: "muted" }, "否");
  return h("span", { class: "badge band-high" }, "正在被骗", report.reporter_phone ? ` ${report.reporter_phone}` : "");
}

export async function render(main, ctx) {
  const filters = readFilters(ctx.query);
  const results = h("div", { id: "reports-results" });
  const summary = h("span", { id: "reports-count", class: "muted" });

  const apply = (changes) => {
    Object.assign(filters, changes);
    ctx.setQuery({ state: filters.state === "pending" ? null : filters.state, page: filters.page > 1 ? filters.page : null });
    load();
  };

  async function decide(report, decision, note) {
    try {
      const done = await post(`/reports/${report.id}/decision`, { decision, note });
      if (decision === "reject") showNotice(`举报 #${report.id} 已驳回`);
      else {
        const tasks = [...done.created_task_ids, ...done.merged_task_ids];
        showNotice(`举报 #${report.id} 已采纳`, tasks.length ? `（预警任务 ${tasks.map((id) => `#${id}`).join("、")}）` : "（未触发预警任务）");
      }
    } catch (error) {
      ctx.fail(error);
    }
    load();
  }

  function actions(report) {
    if (report.state !== "pending") {
      return h("span", { class: "muted" }, `${report.reviewed_by_name || ""} ${report.reviewed_at ? formatTime(report.reviewed_at) : ""}${report.review_note ? `：${report.review_note}` : ""}`.trim() || "—");
    }
    const note = h("input", { class: "report-note", maxlength: 500, placeholder: "审核意见（可选）", "aria-label": `举报 #${report.id} 审核意见` });
    const accept = h("button", { type: "button", class: "report-accept", dataset: { reportId: report.id } }, "采纳");
    const reject = h("button", { type: "button", class: "report-reject ghost", dataset: { reportId: report.id } }, "驳回");
    accept.addEventListener("click", () => decide(report, "accept", note.value.trim()));
    reject.addEventListener("click", () => decide(report, "reject", note.value.trim()));
    return h("div", { class: "report-actions" }, note, accept, reject);
  }

  const columns = [
    { label: "编号", cell: (r) => `#${r.id}` },
    { label: "收到时间", cell: (r) => formatTime(r.received_at) },
    { label: "状态", cell: (r) => h("span", { class: `badge state-${r.state}` }, r.state_label) },
    { label: "辖区", cell: (r) => r.district || "—" },
    { label: "举报内容", class: "reason", cell: what },
    { label: "识别结果", cell: verdicts },
    { label: "正在被骗", cell: victim },
    { label: "涉及金额", class: "num", cell: (r) => (r.amount_fen ? formatYuan(r.amount_fen) : "—") },
    { label: "处理", cell: actions },
  ];

  async function load() {
    let data;
    try {
      data = await get("/reports", { state: filters.state === "all" ? null : filters.state, page: filters.page, per_page: PER_PAGE });
    } catch (error) {
      ctx.fail(error);
      return;
    }
    if (!ctx.alive()) return;
    summary.textContent = `共 ${data.count} 条`;
    replace(
      results,
      table(columns, data.data, { empty: "没有符合条件的举报", rowAttrs: (r) => ({ class: "report-row", dataset: { reportId: r.id } }) }),
      pager({ page: data.page, perPage: data.per_page, count: data.count, onPage: (page) => apply({ page }) }),
    );
  }

  const stateSelect = select({ id: "reports-state" }, STATES, filters.state);
  stateSelect.addEventListener("change", () => apply({ state: stateSelect.value, page: 1 }));
  const refresh = h("button", { type: "button", id: "reports-refresh" }, "刷新");
  refresh.addEventListener("click", load);

  replace(
    main,
    h("div", { class: "page-head" }, h("h1", null, "举报审核"), summary),
    h("form", { class: "filters", onsubmit: (event) => event.preventDefault() }, labelled("状态", stateSelect), refresh),
    h("p", { class: "legend" }, "群众举报先进入审核队列；只有采纳后才会进入预警规则（可能生成预警任务、标记号码），驳回不改变任何记录。最早收到的排在最前。"),
    results,
  );
  await load();
}
