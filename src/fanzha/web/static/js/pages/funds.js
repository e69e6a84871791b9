// 资金追踪 for one case: the victim's money traced through the mule layers (a layered SVG
// diagram, the accounts, what to stop-pay or freeze first); for fund officers also the case's
// stop-pay / freeze / return ledger, the form that records an act, and return plans (返还方案).

import { ApiError, PURPOSE, get, post } from "../api.js";
import { fieldList, h, replace, showError, showNotice, table } from "../dom.js";
import { formatCount, formatDate, formatEpoch, formatTime, formatYuan, yuanToFen } from "../format.js";
import { drawSankey, sankeyLayout } from "../sankey.js";
import { exportButtons, getOrNotFound, labelled, printButton, select } from "../widgets.js";

const DEPTHS = Array.from({ length: 12 }, (_, i) => i + 1);
const TOTALS = [
  ["stopped_fen", "止付中"],
  ["frozen_fen", "冻结中"],
  ["returned_fen", "已返还"],
  ["unfrozen_fen", "已解冻"],
  ["released_fen", "已解除止付"],
  ["lapsed_fen", "已到期失效"],
];
// The ledger's refusals (HTTP 409) in Chinese, by the reason at the end of the API's message.
const CONFLICTS = [
  [/only (\d+) fen are stop-paid to convert/, (fen) => `该账户止付中的资金仅 ${formatYuan(fen)}，不能转为冻结这么多`],
  [/only (\d+) fen are stop-paid/, (fen) => `该账户止付中的资金仅 ${formatYuan(fen)}，不能解除这么多`],
  [/only (\d+) fen are frozen/, (fen) => `该账户冻结中的资金仅 ${formatYuan(fen)}，余额不足`],
  [/a renewal covers the whole frozen (\d+) fen/, (fen) => `续冻须覆盖全部冻结金额 ${formatYuan(fen)}`],
  [/nothing is frozen/, () => "该账户没有冻结中的资金（或冻结已到期），无法续冻"],
  [/dated before the last entry/, () => "记录时间早于该账户的上一笔台账记录"],
  [/already in the ledger/, () => "该记录已在台账中"],
];

/** The Chinese headline of a ledger refusal. */
export function conflictText(message) {
  for (const [pattern, text] of CONFLICTS) {
    const found = pattern.exec(message || "");
    if (found) return `台账余额不允许此操作，未记录：${text(found[1])}`;
  }
  return "台账余额不允许此操作，未记录";
}

/** "…4793": the end of an account number, enough to tell accounts apart in the diagram. */
function tail(account) {
  return account.length > 8 ? `…${account.slice(-4)}` : account;
}

function statusBadge(meta, status) {
  return h("span", { class: `badge node-badge node-${status}` }, meta.trace_statuses[status] || status);
}

function traceSummary(trace, meta) {
  const sum = (key, keep = () => true) => trace.nodes.filter(keep).reduce((total, n) => total + n[key], 0);
  const method = meta.trace_methods.find((m) => m.method === trace.method);
  return [
    `按“${method ? method.label : trace.method}”追踪受害人资金 ${formatYuan(trace.total_fen)}，`,
    `经 ${formatCount(trace.nodes.length - new Set(trace.seeds.map((s) => s.from)).size)} 个账户、${formatCount(trace.edges.length)} 条资金链路；`,
    `仍留存（未冻结）${formatYuan(sum("held_fen") - sum("frozen_fen"))}，`,
    `已冻结 ${formatYuan(sum("frozen_fen"))}（按止付/冻结的时间和金额：冻结前已转出的资金继续追踪），`,
    `已出口（取现/数字货币/商户）${formatYuan(sum("exited_fen"))}。`,
  ].join("");
}

function diagram(trace, meta) {
  const victims = new Map(trace.seeds.map((seed) => [seed.from, seed.victim]));
  const time = (t) => formatEpoch(t, trace.time_unit);
  const status = (n) => meta.trace_statuses[n.status] || n.status;
  const layout = sankeyLayout(trace);
  const svg = drawSankey(layout, {
    title: "资金流向图",
    id: "trace-svg",
    columnLabel: (d) => (d ? `第 ${d} 层` : "受害人"),
    nodeLabel: (node) => (victims.has(node.account) ? victims.get(node.account) : `${tail(node.account)} ${formatYuan(node.value)}`),
    nodeTitle: (node) => {
      const d = node.data;
      return [
        `账户 ${d.account}${victims.has(d.account) ? `（${victims.get(d.account)}）` : ""}`,
        `状态：${status(d)} · 第 ${d.depth} 层`,
        d.depth ? `涉案流入：${formatYuan(d.received_fen)}` : null,
        `转出：${formatYuan(d.sent_fen)}`,
        d.exited_fen ? `出口：${formatYuan(d.exited_fen)}` : null,
        d.held_fen ? `留存：${formatYuan(d.held_fen)}` : null,
        d.frozen_fen ? `其中已冻结：${formatYuan(d.frozen_fen)}` : null,
        `首次：${time(d.first_time)}`,
        `最后：${time(d.last_time)}`,
      ]
        .filter(Boolean)
        .join("\n");
    },
    linkTitle: (link) => {
      const e = link.data;
      return [
        `${e.src} → ${e.dst}`,
        `涉案资金：${formatYuan(e.amount_fen)}（${formatCount(e.n_transfers)} 笔）`,
        `首笔：${time(e.first_time)}`,
        `末笔：${time(e.last_time)}`,
        link.back ? "（资金回流到上一层或同层账户）" : null,
      ]
        .filter(Boolean)
        .join("\n");
    },
  });
  const present = [...new Set(trace.nodes.map((n) => n.status))];
  const legend = h(
    "div",
    { class: "legend", id: "trace-legend" },
    "节点颜色：",
    present.map((key) => h("span", { class: "legend-item" }, h("span", { class: `swatch node-${key}` }), meta.trace_statuses[key] || key)),
    " · 连线宽度与资金量成正比，悬停查看金额与时间",
  );
  return [legend, h("div", { class: "sankey-wrap" }, svg)];
}

/** The accounts of the trace; ``makeClue`` (when the officer may) turns a cash-out account
 * into a clue (线索) with the trace summary as its evidence. */
function nodeTable(trace, meta, makeClue) {
  const time = (t) => formatEpoch(t, trace.time_unit);
  const rows = [...trace.nodes].sort((a, b) => a.depth - b.depth || a.first_time - b.first_time);
  return table(
    [
      { label: "账户", cell: (n) => h("code", null, n.account) },
      { label: "层级", class: "num", cell: (n) => n.depth },
      { label: "状态", cell: (n) => statusBadge(meta, n.status) },
      { label: "涉案流入", class: "num", cell: (n) => (n.depth ? formatYuan(n.received_fen) : "—") },
      { label: "转出", class: "num", cell: (n) => formatYuan(n.sent_fen) },
      { label: "出口", class: "num", cell: (n) => (n.exited_fen ? formatYuan(n.exited_fen) : "—") },
      { label: "留存", class: "num", cell: (n) => (n.held_fen ? formatYuan(n.held_fen) : "—") },
      { label: "其中冻结", class: "num", cell: (n) => (n.frozen_fen ? formatYuan(n.frozen_fen) : "—") },
      { label: "首次到账", cell: (n) => time(n.first_time) },
      { label: "最后变动", cell: (n) => time(n.last_time) },
      ...(makeClue ? [{ label: "线索", cell: (n) => (n.exited_fen ? clueButton(n, makeClue) : "—") }] : []),
    ],
    rows,
    { empty: "没有追踪到资金去向", rowAttrs: (n) => ({ dataset: { account: n.account } }) },
  );
}

function clueButton(node, makeClue) {
  const button = h("button", { type: "button", class: "small make-clue", dataset: { account: node.account } }, "生成线索");
  button.addEventListener("click", () => makeClue(node));
  return button;
}

function priorityTable(trace, meta, prefill) {
  const columns = [
    { label: "序号", class: "num", cell: (p) => trace.priorities.indexOf(p) + 1 },
    { label: "建议措施", cell: (p) => h("span", { class: `badge action-${p.action}` }, meta.trace_actions[p.action] || p.action) },
    { label: "账户", cell: (p) => h("code", null, p.account) },
    { label: "可能留存", class: "num", cell: (p) => formatYuan(p.amount_fen) },
    { label: "首次到账", cell: (p) => formatEpoch(p.first_time, trace.time_unit) },
    { label: "依据", cell: (p) => meta.trace_statuses[p.reason] || p.reason },
  ];
  if (prefill) {
    columns.push({
      label: "操作",
      class: "no-print",
      cell: (p) =>
        h(
          "div",
          { class: "buttons" },
          ["stop_pay", "freeze"].map((kind) => {
            const button = h("button", { type: "button", class: `small${kind === "freeze" ? " primary" : ""}`, dataset: { kind } }, meta.trace_actions[kind] || kind);
            button.addEventListener("click", () => prefill({ account: p.account, kind, amount_fen: p.amount_fen }));
            return button;
          }),
        ),
    });
  }
  return table(columns, trace.priorities, {
    empty: "没有需要止付或冻结的账户（资金已出口、已冻结或已全部转走）",
    rowAttrs: (p) => ({ dataset: { account: p.account } }),
  });
}

function ledgerView(ledger, meta, showPlan) {
  const kinds = Object.fromEntries(meta.ledger_kinds.map((k) => [k.kind, k.label]));
  const holdingColumns = [
    { label: "账户", cell: (r) => h("code", null, r.account_no) },
    { label: "止付中", class: "num", cell: (r) => formatYuan(r.stopped_fen) },
    { label: "冻结中", class: "num", cell: (r) => formatYuan(r.frozen_fen) },
    { label: "已返还", class: "num", cell: (r) => formatYuan(r.returned_fen) },
    { label: "累计止付", class: "num", cell: (r) => formatYuan(r.stop_paid_fen) },
    { label: "累计冻结", class: "num", cell: (r) => formatYuan(r.frozen_in_fen) },
    {
      label: "返还",
      class: "no-print",
      cell: (r) => {
        if (r.frozen_fen <= 0) return "—";
        const button = h("button", { type: "button", class: "small", dataset: { plan: r.account_no } }, "返还方案");
        button.addEventListener("click", () => showPlan(r.account_no));
        return button;
      },
    },
  ];
  return [
    h(
      "div",
      { class: "tiles tiles-3", id: "ledger-totals" },
      TOTALS.map(([key, label]) => h("div", { class: `tile tile-${key}`, dataset: { total: key } }, h("span", { class: "tile-label" }, label), h("span", { class: "tile-value" }, formatYuan(ledger.totals[key])))),
    ),
    h("h3", null, "各账户余额"),
    h("div", { id: "ledger-holdings" }, table(holdingColumns, ledger.holdings, { empty: "尚未对本案账户采取措施", rowAttrs: (r) => ({ dataset: { account: r.account_no } }) })),
    h("h3", null, `台账记录（${ledger.entries.length}）`),
    h(
      "div",
      { id: "ledger-entries" },
      table(
        [
          { label: "时间", cell: (e) => formatTime(e.at) },
          { label: "措施", cell: (e) => h("span", { class: `badge kind-${e.kind}` }, kinds[e.kind] || e.kind) },
          { label: "账户", cell: (e) => h("code", null, e.account_no) },
          { label: "开户行", cell: (e) => e.bank || "—" },
          { label: "金额", class: "num", cell: (e) => formatYuan(e.amount_fen) },
          { label: "法律文书", cell: (e) => e.legal_basis },
          { label: "返还给", cell: (e) => e.payee || "—" },
          { label: "经办人", cell: (e) => e.officer_name || e.officer },
          { label: "备注", class: "reason", cell: (e) => e.note || "—" },
        ],
        ledger.entries,
        { empty: "暂无台账记录" },
      ),
    ),
  ];
}

/** The form that records one act; returns {form, prefill(values), setAccounts(accounts)}. */
function ledgerForm(caseId, meta, onSaved) {
  const account = h("input", { id: "ledger-account", list: "ledger-accounts", required: true, maxlength: 40, placeholder: "银行卡号/账号" });
  const accounts = h("datalist", { id: "ledger-accounts" });
  const kind = select({ id: "ledger-kind" }, meta.ledger_kinds.map((k) => [k.kind, k.label]), "freeze");
  const amount = h("input", { id: "ledger-amount", inputmode: "decimal", required: true, placeholder: "例如 12000.00" });
  const basis = h("input", { id: "ledger-basis", required: true, minlength: 2, maxlength: 255, placeholder: "如：南公（反诈）冻字〔2026〕001号" });
  const bank = h("input", { id: "ledger-bank", maxlength: 64, placeholder: "留空则按账户登记的开户行" });
  const payee = h("input", { id: "ledger-payee", maxlength: 64, placeholder: "被害人姓名或案件编号" });
  const payeeAccount = h("input", { id: "ledger-payee-account", maxlength: 40, placeholder: "被害人收款账户" });
  const fromStop = h("input", { id: "ledger-from-stop", type: "checkbox" });
  const note = h("textarea", { id: "ledger-note", rows: 2, maxlength: 4000, placeholder: "协查银行、文书送达情况等" });
  const payeeRow = h("div", { class: "row" }, labelled("返还给（被害人）", payee), labelled("返还账户", payeeAccount));
  const fromStopRow = h("label", { class: "check" }, fromStop, "由止付转为冻结（从该账户止付中的资金转入）");
  const button = h("button", { type: "submit", id: "ledger-submit", class: "primary" }, "记录");
  const toggle = () => {
    payeeRow.hidden = kind.value !== "return";
    fromStopRow.hidden = kind.value !== "freeze";
  };
  kind.addEventListener("change", toggle);
  toggle();
  const form = h(
    "form",
    { id: "ledger-form", class: "card form" },
    h("h2", null, "记录止付 / 冻结 / 返还"),
    h("div", { class: "row" }, labelled("账户", [account, accounts]), labelled("措施", kind)),
    h("div", { class: "row" }, labelled("金额（元）", amount), labelled("开户行", bank)),
    labelled("法律文书 / 依据", basis),
    payeeRow,
    fromStopRow,
    labelled("备注", note),
    button,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let amountFen;
    try {
      amountFen = yuanToFen(amount.value);
    } catch (error) {
      showError(error.message);
      return;
    }
    if (!amountFen) {
      showError("请填写大于 0 的金额（元）");
      return;
    }
    const body = {
      case_id: caseId,
      account_no: account.value.trim(),
      kind: kind.value,
      amount_fen: amountFen,
      legal_basis: basis.value.trim(),
      note: note.value.trim(),
    };
    if (bank.value.trim()) body.bank = bank.value.trim();
    if (kind.value === "return") Object.assign(body, { payee: payee.value.trim(), payee_account: payeeAccount.value.trim() });
    if (kind.value === "freeze" && fromStop.checked) body.from_stop = true;
    button.disabled = true;
    try {
      const ledger = await post("/ledger", body);
      const label = meta.ledger_kinds.find((k) => k.kind === body.kind).label;
      form.reset();
      toggle();
      onSaved(ledger, `已记录：${label} ${formatYuan(body.amount_fen)}（账户 ${body.account_no}）`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) showError(error, conflictText(error.detail || error.message));
      else showError(error);
    } finally {
      button.disabled = false;
    }
  });
  const prefill = (values) => {
    account.value = values.account || "";
    kind.value = values.kind;
    amount.value = values.amount_fen ? (values.amount_fen / 100).toFixed(2) : "";
    payee.value = values.payee || "";
    payeeAccount.value = values.payee_account || "";
    fromStop.checked = false;
    toggle();
    form.scrollIntoView({ block: "start" });
    basis.focus();
  };
  const setAccounts = (list) => replace(accounts, list.map((a) => h("option", { value: a })));
  return { form, prefill, setAccounts };
}

function planView(plan, meta, prefill) {
  const rule = meta.return_rules[plan.rule];
  const columns = [
    { label: "受害人（案件）", cell: (l) => l.victim },
    { label: "返还账户", cell: (l) => h("code", null, l.account) },
    { label: "认定金额", class: "num", cell: (l) => formatYuan(l.claim_fen) },
    { label: "占比", class: "num", cell: (l) => `${(l.share_ppm / 10000).toFixed(2)}%` },
    { label: "拟返还", class: "num", cell: (l) => formatYuan(l.amount_fen) },
    { label: "依据", cell: (l) => h("span", { class: "plan-basis" }, l.basis_text) },
  ];
  if (prefill) {
    columns.push({
      label: "操作",
      class: "no-print",
      cell: (l) => {
        if (l.amount_fen <= 0) return "—";
        const button = h("button", { type: "button", class: "small", dataset: { payee: l.victim } }, "按此返还");
        button.addEventListener("click", () => prefill({ account: plan.frozen_account, kind: "return", amount_fen: l.amount_fen, payee: l.victim, payee_account: l.account }));
        return button;
      },
    });
  }
  return [
    fieldList([
      ["冻结账户", h("code", null, plan.frozen_account)],
      ["开户行", plan.bank || "—"],
      ["冻结金额", formatYuan(plan.frozen_fen)],
      ["适用规则", h("span", { id: "plan-rule" }, rule ? rule.name : plan.rule)],
      ["规则说明", plan.rule_text],
      ["认定金额依据", h("span", { id: "plan-basis" }, plan.basis_text)],
      ["拟返还合计", h("span", { id: "plan-returned" }, formatYuan(plan.returned_fen))],
      ["继续冻结", formatYuan(plan.remaining_fen)],
      ["可执行日期", h("span", { id: "plan-executable" }, formatDate(plan.executable_from))],
      ["是否公告", plan.notice_required ? "须公告 30 日，期满无异议后返还" : "无须公告"],
    ]),
    h("h3", null, "返还明细"),
    h("div", { id: "plan-lines" }, table(columns, plan.lines, { empty: "没有可返还的被害人" })),
    plan.notice ? [h("h3", null, "返还公告"), h("pre", { id: "plan-notice", class: "notice-text" }, plan.notice)] : null,
  ];
}

export async function render(main, ctx) {
  const id = Number(ctx.params[0]);
  const item = await getOrNotFound(main, `/cases/${id}`, "案件", "/cases", "返回案件列表", { reason: PURPOSE.fundsCase });
  if (!item || !ctx.alive()) return;
  const meta = ctx.meta;
  const mayLedger = ctx.can("funds.ledger.read");
  const mayWrite = ctx.can("funds.ledger.write");
  const methods = meta.trace_methods.map((m) => m.method);
  const chosen = {
    method: methods.includes(ctx.query.get("method")) ? ctx.query.get("method") : methods[0],
    depth: DEPTHS.includes(Number(ctx.query.get("depth"))) ? Number(ctx.query.get("depth")) : 6,
  };

  const method = select({ id: "trace-method" }, meta.trace_methods.map((m) => [m.method, m.label]), chosen.method);
  const depth = select({ id: "trace-depth" }, DEPTHS.map((d) => [d, `${d} 层`]), chosen.depth);
  const summary = h("p", { id: "trace-summary", class: "muted" });
  const picture = h("div", { id: "trace-diagram" }, h("p", { class: "muted" }, "正在追踪…"));
  const priorities = h("div", { id: "trace-priorities" });
  const nodes = h("div", { id: "trace-nodes" });
  const ledgerBody = h("div", { id: "ledger-body" }, h("p", { class: "muted" }, "正在加载…"));
  const planAccount = h("select", { id: "plan-account" });
  const planResult = h("div", { id: "plan-result" });
  const planTools = h("span", { id: "plan-tools", class: "buttons no-print" });
  const entry = mayWrite
    ? ledgerForm(id, meta, (ledger, message) => {
        drawLedger(ledger);
        showNotice(message);
      })
    : null;
  const prefill = entry ? entry.prefill : null;

  async function showPlan(account) {
    if (account) planAccount.value = account;
    if (!planAccount.value) return;
    replace(planResult, h("p", { class: "muted" }, "正在生成…"));
    replace(planTools);
    try {
      const chosenAccount = planAccount.value;
      const plan = await get(`/cases/${id}/return-plan`, { account: chosenAccount, reason: PURPOSE.returnPlan });
      if (!ctx.alive()) return;
      replace(planResult, planView(plan, meta, prefill));
      replace(
        planTools,
        exportButtons(`cases/${id}/return-plan`, () => ({ account: chosenAccount }), PURPOSE.exportPlan, { id: "plan-export" }),
        printButton(document.getElementById("return-plan"), { id: "plan-print", label: plan.notice ? "打印返还方案及公告" : "打印返还方案" }),
      );
    } catch (error) {
      replace(planResult);
      ctx.fail(error);
    }
  }

  function drawLedger(ledger) {
    replace(ledgerBody, ledgerView(ledger, meta, showPlan));
    const frozen = ledger.holdings.filter((r) => r.frozen_fen > 0).map((r) => r.account_no);
    const keep = planAccount.value;
    replace(planAccount, frozen.length ? frozen.map((a) => h("option", { value: a, selected: a === keep }, a)) : h("option", { value: "" }, "本案暂无冻结中的账户"));
  }

  async function makeClue(node) {
    try {
      const evidence = { case_id: id, account: node.account, depth: node.depth, received_fen: node.received_fen, exited_fen: node.exited_fen, method: method.value };
      const made = await post("/clues", { source: "fund_trace", source_ref: node.account, title: `取现账户线索：尾号${tail(node.account)}`, evidence });
      ctx.navigate(`/clues/${made.id}`);
    } catch (error) {
      ctx.fail(error);
    }
  }

  async function trace() {
    ctx.setQuery({ method: method.value === methods[0] ? null : method.value, depth: Number(depth.value) === 6 ? null : depth.value });
    replace(picture, h("p", { class: "muted" }, "正在追踪…"));
    let result;
    try {
      result = await get(`/cases/${id}/trace`, { method: method.value, depth: depth.value, reason: PURPOSE.trace });
    } catch (error) {
      // A case without transfers (or a store without any: 404) is no failure, just nothing to draw.
      const empty = error instanceof ApiError && (error.status === 404 || (error.status === 422 && error.field === "case_id"));
      replace(picture, h("p", { class: "muted", id: "trace-empty" }, empty ? "本案没有登记转账流水，无法追踪资金去向。" : "无法追踪本案资金"));
      replace(summary);
      replace(priorities);
      replace(nodes);
      if (!empty) ctx.fail(error);
      return;
    }
    if (!ctx.alive()) return;
    summary.textContent = traceSummary(result, meta);
    replace(picture, diagram(result, meta));
    replace(priorities, priorityTable(result, meta, prefill));
    replace(nodes, nodeTable(result, meta, ctx.can("clue.create") ? makeClue : null));
    if (entry) entry.setAccounts(result.nodes.filter((n) => n.depth > 0).map((n) => n.account));
  }

  async function loadLedger() {
    try {
      const ledger = await get(`/cases/${id}/ledger`);
      if (ctx.alive()) drawLedger(ledger);
    } catch (error) {
      replace(ledgerBody);
      ctx.fail(error);
    }
  }

  const form = h(
    "form",
    { id: "trace-form", class: "filters" },
    labelled("追踪方法", method, "出账时按何种顺序认定被害人资金"),
    labelled("最大层级", depth),
    h("button", { type: "submit", class: "primary" }, "追踪"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    trace();
  });
  const planButton = h("button", { type: "button", id: "plan-submit" }, "生成返还方案");
  planButton.addEventListener("click", () => showPlan());
  replace(
    main,
    h("p", null, h("a", { href: `/cases/${id}`, class: "back" }, "‹ 返回案件详情")),
    h(
      "div",
      { class: "page-head" },
      h("h1", { id: "funds-title" }, `资金追踪 · 案件 ${item.case_no}`),
      h("span", { class: "muted" }, `${item.fraud_type_name} · 损失 ${formatYuan(item.amount_lost_fen)}${item.victim_name ? ` · 受害人 ${item.victim_name}` : ""}`),
    ),
    h("section", { class: "card", id: "trace-card" }, h("h2", null, "资金流向"), form, summary, picture),
    h("section", { class: "card", id: "priorities" }, h("h2", null, "优先止付 / 冻结的账户"), priorities),
    h("section", { class: "card", id: "accounts" }, h("h2", null, "涉案账户"), nodes),
    mayLedger
      ? h(
          "section",
          { class: "card", id: "ledger" },
          h("div", { class: "section-head" }, h("h2", null, "止付冻结台账"), exportButtons(`cases/${id}/ledger`, () => ({}), PURPOSE.exportLedger, { id: "ledger-export" })),
          ledgerBody,
        )
      : null,
    entry ? entry.form : null,
    mayLedger
      ? h(
          "section",
          { class: "card", id: "return-plan" },
          h("div", { class: "section-head" }, h("h2", null, `返还方案 · 案件 ${item.case_no}`), planTools),
          h("div", { class: "filters" }, labelled("冻结账户", planAccount), planButton),
          planResult,
        )
      : null,
  );
  await Promise.all([trace(), mayLedger ? loadLedger() : null]);
}
