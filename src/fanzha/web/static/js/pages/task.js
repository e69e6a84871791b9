// 预警任务详情: the task, the person (masked by the API), signals, contact history,
// the outcome form (results depend on the channel) and the moves allowed in this state.

import { ApiError, PURPOSE, get, post } from "../api.js";
import { fieldList, h, replace, showError, showNotice, table } from "../dom.js";
import { formatTime, formatYuan, yuanToFen } from "../format.js";
import { bandBadge, getOrNotFound, labelled, select, slaCell, stateBadge } from "../widgets.js";

const EVENT_KINDS = {
  fraud_call: "接到涉诈来电/短信",
  flagged_transfer: "向涉诈账户转账",
  citizen_report: "群众举报",
  screening_hit: "识诈命中",
};
const GENDERS = { M: "男", F: "女", m: "男", f: "女" };
// Moves that close a task badly or by mistake get the warning colour.
const DANGER = new Set(["already_paid", "false_alarm", "lost_contact"]);

function taskFields(task) {
  return fieldList([
    ["诈骗类型", task.fraud_type_name],
    ["涉险金额", formatYuan(task.money_at_risk_fen)],
    ["已挽回金额", h("span", { id: "task-saved" }, formatYuan(task.money_saved_fen))],
    ["辖区", task.district],
    ["联系电话", task.phone_number],
    ["处置民警", task.assignee_name || "未分派"],
    ["预警原因", task.reason],
    ["信号时间", formatTime(task.signal_at)],
    ["创建时间", formatTime(task.created_at)],
    ["SLA 到期", [formatTime(task.sla_due_at), " ", slaCell(task)]],
    ["首次联系", formatTime(task.first_contact_at)],
    ["结案时间", formatTime(task.closed_at)],
    ["联系次数", String(task.contact_count)],
    ["优先级分", `${task.priority}（${task.band_label}）`],
  ]);
}

function personCard(person) {
  if (!person) return h("section", { class: "card" }, h("h2", null, "当事人"), h("p", { class: "muted" }, "未关联到人员信息"));
  const place = [person.district, person.town, person.village].filter(Boolean).join(" ");
  return h(
    "section",
    { class: "card", id: "person" },
    h("h2", null, "当事人"),
    fieldList([
      ["姓名", person.name],
      ["身份证号", person.id_number],
      ["电话", person.phone_number],
      ["性别", GENDERS[person.gender] || person.gender],
      ["年龄", person.age === null ? "—" : `${person.age} 岁`],
      ["住址", place || "—"],
      ["职业", person.occupation],
    ]),
  );
}

function eventsCard(events) {
  const rows = events || [];
  return h(
    "section",
    { class: "card" },
    h("h2", null, `预警信号（${rows.length}）`),
    table(
      [
        { label: "时间", cell: (e) => formatTime(e.occurred_at) },
        { label: "类型", cell: (e) => EVENT_KINDS[e.kind] || e.kind },
        { label: "对方号码/账户/链接", class: "wrap", cell: (e) => (e.counterpart ? h("code", null, e.counterpart) : "—") },
        { label: "涉险金额", class: "num", cell: (e) => formatYuan(e.amount_at_risk_fen) },
        { label: "风险分", class: "num", cell: (e) => (e.risk === null ? "—" : `${Math.round(e.risk * 100)}%`) },
      ],
      rows,
      { empty: "没有信号记录" },
    ),
  );
}

/** Transitions and outcomes in time order; at the same instant the outcome comes first. */
function historyItems(task) {
  const items = [
    ...(task.outcomes || []).map((o, i) => ({ at: o.at, order: 0, i, kind: "outcome", o })),
    ...(task.transitions || []).map((t, i) => ({ at: t.at, order: 1, i, kind: "transition", t })),
  ];
  const time = (value) => new Date(value).getTime() || 0;
  items.sort((a, b) => time(a.at) - time(b.at) || a.order - b.order || a.i - b.i);
  return items.map((item) => {
    if (item.kind === "outcome") {
      const o = item.o;
      return h(
        "li",
        { class: "history-item history-outcome" },
        h("time", null, formatTime(o.at)),
        h("span", { class: "history-who" }, o.user || "系统"),
        h("span", { class: "history-what" }, `联系：${o.channel_label} · ${o.result_label}`),
        o.money_saved_fen ? h("span", { class: "history-money" }, `挽回 ${formatYuan(o.money_saved_fen)}`) : null,
        o.note ? h("p", { class: "history-note" }, o.note) : null,
      );
    }
    const t = item.t;
    return h(
      "li",
      { class: "history-item history-transition" },
      h("time", null, formatTime(t.at)),
      h("span", { class: "history-who" }, t.user || "系统"),
      h("span", { class: "history-what" }, "状态：", stateBadge(t.from_state, t.from_label), " → ", stateBadge(t.to_state, t.to_label)),
      t.note ? h("p", { class: "history-note" }, t.note) : null,
    );
  });
}

function historyCard(task) {
  const items = historyItems(task);
  return h(
    "section",
    { class: "card" },
    h("h2", null, "处置记录"),
    items.length ? h("ol", { id: "history", class: "history" }, items) : h("p", { id: "history", class: "muted" }, "尚无处置记录"),
  );
}

function outcomeForm(task, submit) {
  const channels = Object.entries(task.channel_results);
  const channel = select({ id: "outcome-channel", name: "channel" }, channels.map(([key, c]) => [key, c.label]), "call");
  const result = h("select", { id: "outcome-result", name: "result", required: true });
  const money = h("input", { id: "outcome-money", name: "money_saved", inputmode: "decimal", placeholder: `默认 ${formatYuan(task.money_at_risk_fen)}` });
  const paid = h("input", { id: "outcome-paid", name: "paid", inputmode: "decimal", placeholder: `默认 ${formatYuan(task.money_at_risk_fen)}` });
  const note = h("textarea", { id: "outcome-note", name: "note", rows: 3, maxlength: 4000, placeholder: "通话要点、当事人反应、后续安排等" });
  const moneyRow = labelled("挽回金额（元）", money, "劝阻成功时填写，留空则按涉险金额计");
  const paidRow = labelled("已被骗金额（元）", paid, "已转账时填写，将移交资金查控");
  const confirmSaved = h("input", { type: "checkbox", id: "outcome-confirm-saved", name: "confirm_saved" });
  const savedReason = h("input", { id: "outcome-saved-reason", name: "saved_reason", maxlength: 500, placeholder: "例如：当事人已备好现金准备转账，经核实金额" });
  const confirmRow = h(
    "div",
    { id: "outcome-confirm-row", class: "confirm-saved", hidden: true },
    h("p", { class: "warning-text" }, task.money_at_risk_fen > 0 ? `挽回金额超过涉险金额 ${formatYuan(task.money_at_risk_fen)}，请确认并说明理由（将在工作统计中标记复核）。` : "涉险金额未知，较大的挽回金额需确认并说明理由（将在工作统计中标记复核）。"),
    h("label", { class: "checkbox" }, confirmSaved, " 我已核实该挽回金额"),
    labelled("理由", savedReason),
  );
  const button = h("button", { type: "submit", id: "outcome-submit", class: "primary" }, "记录处置结果");

  const fillResults = () => {
    const options = task.channel_results[channel.value].results;
    replace(result, h("option", { value: "" }, "请选择结果"), options.map((r) => h("option", { value: r.result }, r.label)));
    toggle();
  };
  const toggle = () => {
    moneyRow.hidden = result.value !== "reached_dissuaded";
    paidRow.hidden = result.value !== "reached_already_paid";
    let saved = null;
    try {
      saved = yuanToFen(money.value);
    } catch {
      saved = null;
    }
    const atRisk = task.money_at_risk_fen;
    confirmRow.hidden = moneyRow.hidden || saved === null || (atRisk > 0 ? saved <= atRisk : saved <= 0);
  };
  channel.addEventListener("change", fillResults);
  money.addEventListener("input", toggle);
  result.addEventListener("change", toggle);
  fillResults();

  const form = h(
    "form",
    { id: "outcome-form", class: "card form" },
    h("h2", null, "记录处置结果"),
    h("div", { class: "row" }, labelled("联系方式", channel), labelled("结果", result)),
    moneyRow,
    confirmRow,
    paidRow,
    labelled("备注", note),
    button,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!result.value) {
      showError("请选择处置结果");
      return;
    }
    let body;
    try {
      body = { channel: channel.value, result: result.value, note: note.value.trim(), version: task.version };
      if (!moneyRow.hidden) body.money_saved_fen = yuanToFen(money.value);
      if (!confirmRow.hidden && confirmSaved.checked) {
        body.confirm_saved = true;
        body.saved_reason = savedReason.value.trim();
      }
      if (!paidRow.hidden) body.paid_fen = yuanToFen(paid.value);
    } catch (error) {
      showError(error.message);
      return;
    }
    for (const key of ["money_saved_fen", "paid_fen"]) if (body[key] === null) delete body[key];
    button.disabled = true;
    const labels = task.channel_results[body.channel];
    const label = `${labels.label} · ${labels.results.find((r) => r.result === body.result).label}`;
    await submit(`/tasks/${task.id}/outcomes`, body, `已记录：${label}`);
    button.disabled = false;
  });
  return form;
}

function transitionPanel(task, ctx, submit) {
  const note = h("input", { id: "transition-note", maxlength: 4000, placeholder: "变更说明（可选）" });
  const buttons = task.allowed_transitions.map((move) => {
    const assign = move.state === "assigned" && task.state === "new";
    const text = assign ? "分派给我" : `转为“${move.label}”`;
    const kind = DANGER.has(move.state) ? "danger" : move.state === "dissuaded" ? "primary" : "";
    const button = h("button", { type: "button", class: `move ${kind}`, dataset: { toState: move.state } }, text);
    button.addEventListener("click", async () => {
      const body = { to_state: move.state, version: task.version, note: note.value.trim() };
      if (assign) body.assigned_to = ctx.user.id;
      button.disabled = true;
      await submit(`/tasks/${task.id}/transition`, body, `任务已转为“${move.label}”`);
      button.disabled = false;
    });
    return button;
  });
  return h(
    "section",
    { id: "transitions", class: "card" },
    h("h2", null, "状态变更"),
    h("p", { class: "muted" }, `当前状态“${task.state_label}”可以转为：`),
    labelled("说明", note),
    h("div", { class: "buttons" }, buttons),
  );
}

export async function render(main, ctx) {
  const id = Number(ctx.params[0]);

  const draw = (task) => {
    const open = task.allowed_transitions.length > 0;
    const mayUpdate = ctx.can("task.update");
    replace(
      main,
      h("p", null, h("a", { href: "/queue", class: "back" }, "‹ 返回预警队列")),
      h(
        "div",
        { class: `page-head band-${task.band}` },
        h("h1", { id: "task-title" }, `预警任务 #${task.id}`),
        bandBadge(task.band, `${task.band_label}优先级`),
        h("span", { id: "task-state" }, stateBadge(task.state, task.state_label)),
      ),
      h(
        "div",
        { class: "grid" },
        h("div", { class: "col" }, h("section", { class: "card" }, h("h2", null, "任务信息"), taskFields(task)), personCard(task.person), eventsCard(task.events)),
        h(
          "div",
          { class: "col" },
          mayUpdate && open && task.state !== "new" ? outcomeForm(task, submit) : null,
          mayUpdate && task.state === "new"
            ? h("section", { id: "outcome-blocked", class: "card closed" }, h("p", null, "任务尚未分派：请先“分派给我”（或由指挥长分派），再记录处置结果。"))
            : null,
          mayUpdate && open ? transitionPanel(task, ctx, submit) : null,
          !open ? h("section", { class: "card closed" }, h("p", null, `任务已结案（${task.state_label}），不能再变更。`)) : null,
          historyCard(task),
        ),
      ),
    );
  };

  async function submit(path, body, message) {
    let task;
    try {
      task = await post(path, body);
    } catch (error) {
      ctx.fail(error);
      if (error instanceof ApiError && error.status === 409 && error.code !== "illegal_transition") reload();
      return;
    }
    if (!ctx.alive()) return;
    draw(task);
    showNotice(message, task.suggestion ? `建议：${task.suggestion}` : "");
  }

  async function reload() {
    try {
      const task = await get(`/tasks/${id}`, { reason: PURPOSE.task });
      if (ctx.alive()) draw(task);
    } catch (error) {
      ctx.fail(error);
    }
  }

  const task = await getOrNotFound(main, `/tasks/${id}`, "任务", "/queue", "返回预警队列", { reason: PURPOSE.task });
  if (task && ctx.alive()) draw(task);
}
