// 侦查打击: 线索 (the loop 线索研判 → 深挖扩线 → 落地打击, 线索不过夜), 专项行动 with their live
// figures (战果), and 窝点/打击 (dens, raids and what they seized). Reads send their reason.

import { get, post } from "../api.js";
import { fieldList, h, replace, showNotice, table } from "../dom.js";
import { formatCount, formatDate, formatTime, formatYuan } from "../format.js";
import { labelled, pager, select } from "../widgets.js";

const READ = "侦查打击：线索研判";
const STATES = [["", "全部状态"], ["pending", "待研判"], ["analysing", "研判中"], ["expanded", "已扩线"], ["landed", "已落地"], ["no_value", "无价值"]];
const stateLabel = (code) => (STATES.find(([c]) => c === code) || [code, code])[1];
const FIGURES = ["officers", "arrests", "caught_in_raids", "raids", "dens_raided", "rectifications", "outreach_sites", "sweeps", "clues", "clues_landed"];

function clueRow(ctx) {
  return [
    { label: "编号", cell: (c) => h("a", { href: `/clues/${c.id}`, class: "clue-link", dataset: { id: c.id } }, `#${c.id}`) },
    { label: "标题", cell: (c) => (c.urgent ? h("span", null, h("span", { class: "badge flagged" }, "紧急"), " ", c.title) : c.title) },
    { label: "来源", cell: (c) => c.source_name },
    { label: "辖区", cell: (c) => c.district ?? "市局" },
    { label: "状态", cell: (c) => h("span", { class: `badge state-${c.state}` }, c.state_name) },
    { label: "时限", cell: (c) => h("span", { class: c.overdue ? "overdue" : "" }, `${formatTime(c.sla_due_at)}${c.overdue ? "（已超时）" : ""}`) },
  ];
}

function wireLinks(root, ctx) {
  root.querySelectorAll("a.clue-link").forEach((a) =>
    a.addEventListener("click", (event) => {
      event.preventDefault();
      ctx.navigate(`/clues/${a.dataset.id}`);
    }),
  );
}

/** 线索: open clues first; ``?overdue=1`` lists the open ones past their SLA. */
export async function renderClues(main, ctx) {
  const values = { state: ctx.query.get("state") || "", overdue: ctx.query.get("overdue") === "1" };
  let page = 1;
  const results = h("div", { class: "results", id: "clue-results" });
  const summary = h("span", { class: "muted", id: "clue-count" });
  async function load() {
    let data;
    try {
      data = await get("/clues", { state: values.state, overdue: values.overdue ? "true" : "", page, per_page: 25 });
    } catch (error) {
      ctx.fail(error);
      return;
    }
    if (!ctx.alive()) return;
    summary.textContent = `共 ${data.count} 条`;
    const rows = table(clueRow(ctx), data.data, { empty: values.overdue ? "没有超时未办的线索" : "暂无线索" });
    wireLinks(rows, ctx);
    replace(results, rows, pager({ page: data.page, perPage: data.per_page, count: data.count, onPage: (p) => { page = p; load(); } }));
  }
  const state = select({ id: "clue-state" }, STATES, values.state);
  state.addEventListener("change", () => { values.state = state.value; page = 1; ctx.setQuery({ state: values.state, overdue: values.overdue ? "1" : "" }); load(); });
  const overdue = h("input", { type: "checkbox", id: "clue-overdue" });
  overdue.checked = values.overdue;
  overdue.addEventListener("change", () => { values.overdue = overdue.checked; page = 1; ctx.setQuery({ state: values.state, overdue: values.overdue ? "1" : "" }); load(); });
  const parts = [
    h("div", { class: "page-head" }, h("h1", null, values.overdue ? "超时未办线索" : "线索"), summary),
    h("form", { class: "filters", onsubmit: (e) => e.preventDefault() }, labelled("状态", state), labelled("只看超时（线索不过夜）", overdue)),
    h("p", { class: "legend" }, "线索按 待研判 → 研判中 → 已扩线 → 已落地 / 无价值 流转；超过时限仍未办结的线索标红，并显示在指挥长的超时清单中。"),
  ];
  if (ctx.can("clue.create")) parts.push(newClueForm(ctx));
  replace(main, ...parts, results);
  await load();
}

function newClueForm(ctx) {
  const title = h("input", { id: "new-clue-title", maxlength: 128, required: true, placeholder: "线索标题" });
  const summary = h("input", { id: "new-clue-summary", maxlength: 400, placeholder: "简要情况" });
  const form = h("form", { class: "inline-form", id: "new-clue" }, labelled("新建线索", title), labelled("情况", summary), h("button", { type: "submit" }, "登记"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const made = await post("/clues", { source: "manual", title: title.value.trim(), summary: summary.value.trim() });
      ctx.navigate(`/clues/${made.id}`);
    } catch (error) {
      ctx.fail(error);
    }
  });
  return form;
}

function evidenceText(json) {
  try {
    const data = JSON.parse(json);
    if (data.subgraph) return `图谱快照：${data.subgraph.nodes?.length ?? 0} 个节点，${data.subgraph.edges?.length ?? 0} 条关系（起点 ${data.node}）`;
    if (data.gang) return `团伙快照：${data.gang.size} 人，涉案 ${formatYuan(data.gang.money_fen)}`;
    if (data.roles) return `角色评分：${data.roles.length} 条（${data.node}）`;
    if (data.hits) return `比中记录 ${data.hits.length} 条`;
    if (data.exited_fen !== undefined) return `资金追踪：案件 #${data.case_id}，第 ${data.depth} 层账户，流入 ${formatYuan(data.received_fen)}，出口 ${formatYuan(data.exited_fen)}`;
    return Object.keys(data).length ? JSON.stringify(data).slice(0, 300) : "—";
  } catch {
    return "—";
  }
}

/** One clue: its evidence, the recorded changes, and the moves the officer may make. */
export async function renderClue(main, ctx) {
  const id = ctx.params[0];
  const clue = await get(`/clues/${id}`, { reason: READ });
  if (!ctx.alive()) return;
  const history = table(
    [
      { label: "时间", cell: (t) => formatTime(t.at) },
      { label: "变更", cell: (t) => `${stateLabel(t.from_state)} → ${stateLabel(t.to_state)}` },
      { label: "说明", cell: (t) => t.note || "—" },
    ],
    clue.transitions,
    { empty: "尚无流转记录" },
  );
  const parts = [
    h("div", { class: "page-head" }, h("h1", { id: "clue-title" }, `线索 #${clue.id} ${clue.title}`)),
    fieldList([
      ["状态", h("span", { id: "clue-state-label", class: `badge state-${clue.state}` }, clue.state_name)],
      ["来源", `${clue.source_name}${clue.source_ref ? `（${clue.source_ref}）` : ""}`],
      ["承办", `${clue.owner_level === "city" ? "市局" : "分局/县局"} ${clue.district ?? ""}`],
      ["时限", `${formatTime(clue.sla_due_at)}${clue.overdue ? "（已超时）" : ""}`],
      ["情况", clue.summary || "—"],
      ["证据快照", evidenceText(clue.evidence)],
      ["落地情况", clue.outcome || "—"],
    ]),
    h("h2", null, "流转记录"),
    history,
  ];
  if (ctx.can("clue.update") && clue.allowed.length) {
    const to = select({ id: "clue-to" }, clue.allowed.map((c) => [c, stateLabel(c)]));
    const note = h("input", { id: "clue-note", maxlength: 400, placeholder: "说明（落地或无价值时必填：抓获/打击情况）" });
    const form = h("form", { class: "inline-form", id: "clue-move" }, labelled("变更为", to), labelled("说明", note), h("button", { type: "submit", id: "clue-move-submit" }, "提交"));
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await post(`/clues/${clue.id}/transition`, { to_state: to.value, version: clue.version, note: note.value.trim() });
        showNotice(`线索 #${clue.id} 已变更为${stateLabel(to.value)}`);
        await renderClue(main, ctx);
      } catch (error) {
        ctx.fail(error);
      }
    });
    parts.push(form);
  }
  replace(main, ...parts);
}

function rollupList(rollup) {
  const rows = FIGURES.map((key) => [rollup.labels[key] || key, formatCount(rollup[key])]);
  for (const [kind, count] of Object.entries(rollup.seizures)) {
    if (kind !== "cash") rows.push([`缴获${rollup.labels[`seized:${kind}`] || kind}`, formatCount(count)]);
  }
  rows.push(["缴获现金", formatYuan(rollup.cash_fen)]);
  return fieldList(rows);
}

/** 专项行动: each operation with its live figures. */
export async function renderOperations(main, ctx) {
  const data = await get("/operations");
  if (!ctx.alive()) return;
  const rows = table(
    [
      { label: "行动", cell: (o) => h("a", { href: `/operations/${o.id}`, class: "op-link", dataset: { id: o.id } }, o.name) },
      { label: "时间", cell: (o) => `${formatDate(o.starts_on)} 至 ${formatDate(o.ends_on)}` },
      { label: "范围", cell: (o) => (o.districts.length ? o.districts.join("、") : "全市") },
      { label: "状态", cell: (o) => o.state_name },
      { label: "抓获", cell: (o) => formatCount(o.rollup.arrests + o.rollup.caught_in_raids) },
      { label: "捣毁窝点", cell: (o) => formatCount(o.rollup.dens_raided) },
    ],
    data.data,
    { empty: "暂无专项行动" },
  );
  rows.querySelectorAll("a.op-link").forEach((a) => a.addEventListener("click", (e) => { e.preventDefault(); ctx.navigate(`/operations/${a.dataset.id}`); }));
  replace(main, h("div", { class: "page-head" }, h("h1", null, "专项行动"), h("span", { class: "muted" }, `共 ${data.count} 项`)), rows);
}

/** One operation: the figures roll up live from its raids, seizures, arrests … */
export async function renderOperation(main, ctx) {
  const op = await get(`/operations/${ctx.params[0]}`, { reason: READ });
  if (!ctx.alive()) return;
  const raids = table(
    [
      { label: "时间", cell: (r) => formatTime(r.raided_at) },
      { label: "辖区", cell: (r) => r.district ?? "—" },
      { label: "警力", cell: (r) => formatCount(r.officers) },
      { label: "现场抓获", cell: (r) => formatCount(r.suspects_caught) },
      { label: "缴获", cell: (r) => r.seizures.map((s) => (s.kind === "cash" ? `现金${formatYuan(s.amount_fen)}` : `${s.kind_name}${s.count}`)).join("，") || "—" },
    ],
    op.raids,
    { empty: "暂无打击记录" },
  );
  const dens = table(
    [
      { label: "窝点", cell: (d) => d.name },
      { label: "类型", cell: (d) => d.kind_name },
      { label: "地点", cell: (d) => [d.district, d.town, d.village, d.address].filter(Boolean).join(" ") },
      { label: "状态", cell: (d) => d.state_name },
    ],
    op.dens,
    { empty: "暂无窝点" },
  );
  const clues = table(clueRow(ctx), op.clues, { empty: "暂无线索" });
  wireLinks(clues, ctx);
  replace(
    main,
    h("div", { class: "page-head" }, h("h1", { id: "op-title" }, op.name)),
    fieldList([
      ["时间", `${formatDate(op.starts_on)} 至 ${formatDate(op.ends_on)}（${op.state_name}）`],
      ["范围", op.districts.length ? op.districts.join("、") : "全市"],
      ["牵头单位", op.lead_unit || "—"],
    ]),
    h("h2", null, "战果（实时汇总）"),
    h("section", { id: "op-rollup" }, rollupList(op.rollup)),
    h("h2", null, "打击行动"),
    raids,
    h("h2", null, "窝点"),
    dens,
    h("h2", null, "线索"),
    clues,
  );
}

/** 窝点/打击: dens of the officer's scope with their raid counts. */
export async function renderDens(main, ctx) {
  const [dens, raids] = await Promise.all([get("/dens"), get("/raids")]);
  if (!ctx.alive()) return;
  replace(
    main,
    h("div", { class: "page-head" }, h("h1", null, "窝点与打击"), h("span", { class: "muted" }, `窝点 ${dens.count} 个，打击 ${raids.count} 次`)),
    table(
      [
        { label: "窝点", cell: (d) => d.name },
        { label: "类型", cell: (d) => d.kind_name },
        { label: "地点", cell: (d) => [d.district, d.town, d.village, d.address].filter(Boolean).join(" ") },
        { label: "状态", cell: (d) => d.state_name },
        { label: "打击次数", cell: (d) => formatCount(d.raids) },
      ],
      dens.data,
      { empty: "暂无窝点" },
    ),
  );
}
