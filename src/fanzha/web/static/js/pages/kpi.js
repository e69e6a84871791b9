// 工作统计: KPI tiles, tasks by state (bar chart), per district and per officer.

import { get } from "../api.js";
import { h, replace, table } from "../dom.js";
import { dayStart, formatCount, formatMinutes, formatRate, formatTime, formatYuan } from "../format.js";
import { barChart, hBarChart } from "../charts.js";
import { checkDays, dayInput, labelled } from "../widgets.js";

const TILES = [
  ["tasks", "预警任务", formatCount],
  ["open", "在办", formatCount],
  ["dissuaded", "劝阻成功", formatCount],
  ["dissuasion_rate", "劝阻率", formatRate],
  ["median_first_contact_min", "首次联系用时（中位数）", formatMinutes],
  ["money_saved_fen", "挽回金额", formatYuan],
  ["already_paid", "已被骗", formatCount],
  ["overdue", "超时未联系", formatCount],
];

function tiles(overall) {
  return h(
    "div",
    { id: "kpi-tiles", class: "tiles tiles-4" },
    TILES.map(([key, label, format]) =>
      h("div", { class: `tile tile-${key}`, dataset: { kpi: key, value: overall[key] ?? "" } }, h("span", { class: "tile-label" }, label), h("strong", { class: "tile-value" }, format(overall[key]))),
    ),
  );
}

function kpiColumns(first) {
  return [
    first,
    { label: "任务", class: "num", cell: (r) => formatCount(r.tasks) },
    { label: "在办", class: "num", cell: (r) => formatCount(r.open) },
    { label: "劝阻成功", class: "num", cell: (r) => formatCount(r.dissuaded) },
    { label: "已被骗", class: "num", cell: (r) => formatCount(r.already_paid) },
    { label: "失联", class: "num", cell: (r) => formatCount(r.lost_contact) },
    { label: "误报", class: "num", cell: (r) => formatCount(r.false_alarm) },
    { label: "劝阻率", class: "num", cell: (r) => formatRate(r.dissuasion_rate) },
    { label: "首次联系（中位）", class: "num", cell: (r) => formatMinutes(r.median_first_contact_min) },
    { label: "挽回金额", class: "num", cell: (r) => formatYuan(r.money_saved_fen) },
    { label: "待复核挽回", class: "num", cell: (r) => (r.saved_above_risk ? h("span", { class: "flagged", title: "挽回金额超过涉险金额的任务数及其挽回金额" }, `${formatCount(r.saved_above_risk)} 件 / ${formatYuan(r.saved_above_risk_fen)}`) : "—") },
    { label: "超时未联系", class: "num", cell: (r) => formatCount(r.overdue) },
  ];
}

function report(data) {
  const states = data.by_state.map((r) => ({ key: r.state, label: r.label, value: r.count }));
  const districts = data.by_district.map((r) => ({ key: "money", label: r.district || "未知辖区", value: r.money_saved_fen }));
  const flagged = data.overall.saved_above_risk;
  return [
    tiles(data.overall),
    flagged
      ? h("p", { id: "kpi-saved-flag", class: "flagged" }, `其中 ${formatCount(flagged)} 个任务的挽回金额超过涉险金额，合计 ${formatYuan(data.overall.saved_above_risk_fen)}，已标记待复核。`)
      : null,
    h(
      "div",
      { class: "grid" },
      h("section", { class: "card" }, h("h2", null, "各状态任务数"), barChart(states, { title: "各状态任务数", id: "chart-states", format: formatCount })),
      h(
        "section",
        { class: "card" },
        h("h2", null, "各辖区挽回金额"),
        districts.length ? hBarChart(districts, { title: "各辖区挽回金额", id: "chart-districts", format: formatYuan }) : h("p", { class: "muted" }, "暂无数据"),
      ),
    ),
    h("section", { class: "card", id: "kpi-districts" }, h("h2", null, "分辖区"), table(kpiColumns({ label: "辖区", cell: (r) => r.district || "未知辖区" }), data.by_district)),
    h("section", { class: "card", id: "kpi-officers" }, h("h2", null, "分民警"), table(kpiColumns({ label: "民警", cell: (r) => r.officer_name || "未分派" }), data.by_officer)),
    h("p", { class: "muted" }, "劝阻率 = 劝阻成功 ÷（劝阻成功 + 已被骗 + 失联结案），误报与在办任务不计入。首次联系用时从任务创建起算。"),
  ];
}

export async function render(main, ctx) {
  const q = ctx.query;
  const since = dayInput("kpi-since", q.get("since"), "2026-12-01");
  const until = dayInput("kpi-until", q.get("until"), "2026-12-31");
  const district = h("input", { id: "kpi-district", value: q.get("district") || "", placeholder: "全部辖区" });
  const body = h("div", { id: "kpi-body" });

  async function load() {
    ctx.setQuery({ since: since.value.trim(), until: until.value.trim(), district: district.value.trim() });
    let data;
    try {
      // The end day is included: the API's ``until`` is exclusive, so ask for the next midnight.
      data = await get("/kpis", { since: dayStart(since.value.trim()), until: dayStart(until.value.trim(), 1), district: district.value.trim() });
    } catch (error) {
      ctx.fail(error);
      return;
    }
    if (ctx.alive()) replace(body, report(data));
  }

  const form = h(
    "form",
    { id: "kpi-filters", class: "filters" },
    labelled("开始日期", since),
    labelled("结束日期", until),
    labelled("辖区", district),
    h("button", { type: "submit", class: "primary" }, "统计"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (checkDays([["开始日期", since], ["结束日期", until]])) load();
  });
  const late = h("section", { id: "overdue-clues" });
  replace(main, h("div", { class: "page-head" }, h("h1", null, "工作统计"), h("span", { class: "muted" }, "按任务创建时间（北京时间）统计")), form, body, late);
  await load();
  if (ctx.can("clue.list")) await overdueClues(late, ctx);
}

/** 线索不过夜: the open clues past their due time, for the commander. */
async function overdueClues(section, ctx) {
  const data = await get("/clues", { overdue: "true", per_page: 10 });
  if (!ctx.alive()) return;
  const all = h("a", { href: "/clues?overdue=1", id: "overdue-clues-all" }, `查看全部 ${formatCount(data.count)} 条`);
  all.addEventListener("click", (event) => {
    event.preventDefault();
    ctx.navigate("/clues?overdue=1");
  });
  const rows = table(
    [
      { label: "线索", cell: (c) => `#${c.id} ${c.title}` },
      { label: "辖区", cell: (c) => c.district ?? "市局" },
      { label: "状态", cell: (c) => c.state_name },
      { label: "时限", cell: (c) => formatTime(c.sla_due_at) },
    ],
    data.data,
    { empty: "没有超时未办的线索" },
  );
  replace(section, h("h2", null, "超时未办线索（线索不过夜）"), rows, data.count ? all : null);
}
