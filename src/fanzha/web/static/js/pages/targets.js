// 侦查打击 / 重点整治 / 行业治理 registers: 犯罪嫌疑人 (legal status), 在逃人员 (identifiers and
// hits on new records), 重点人员 and 重点村屯 (follow-ups, sweeps), 行业整改 (outlets from the
// 断卡 ranking; the overdue list). Every detail read sends its reason; the server masks
// names and numbers for roles that may not see them.

import { get, post } from "../api.js";
import { fieldList, h, replace, showNotice, table } from "../dom.js";
import { formatDate, formatTime } from "../format.js";
import { checkDays, dayInput, labelled, pager, select } from "../widgets.js";

const PER_PAGE = 25;
const READ = {
  suspect: "侦查打击：查看嫌疑人",
  fugitive: "追逃：查看在逃人员",
  keyPerson: "重点整治：查看重点人员",
};
const ROLES = [["", "全部角色"], ["leader", "组长"], ["manager", "主管"], ["core", "骨干"], ["operator", "业务员"], ["card_dealer", "卡头卡贩"], ["cash_out", "取现"], ["score_runner", "跑分"], ["traffic", "引流"], ["goip_operator", "GOIP 操作员"], ["other", "其他"]];
const LEGAL = [["", "全部状态"], ["identified", "已查明"], ["at_large", "在逃"], ["detained", "刑事拘留"], ["bail", "取保候审"], ["arrested", "逮捕"], ["prosecuted", "起诉"], ["sentenced", "判决"], ["released", "释放"]];
const LEGAL_NEXT = { identified: ["at_large", "detained", "bail"], at_large: ["detained"], detained: ["arrested", "bail", "released"], bail: ["arrested", "prosecuted", "released", "at_large"], arrested: ["prosecuted", "bail", "released"], prosecuted: ["sentenced", "released"], sentenced: ["released"], released: [] };
const RECT_NEXT = { open: ["rectifying", "cancelled"], rectifying: ["rechecking"], rechecking: ["passed", "failed"], failed: ["rectifying", "penalised"], passed: [], penalised: [], cancelled: [] };
const RECT_LABELS = { open: "待整改", rectifying: "整改中", rechecking: "待复查", failed: "复查未通过", passed: "复查通过", penalised: "移交处罚", cancelled: "撤销" };
const legalLabel = (code) => (LEGAL.find(([c]) => c === code) || [code, code])[1];

/** A paged list page: filters in, rows out, a detail panel below. */
async function listPage(main, ctx, { title, legend, path, filters, columns, detail, extra }) {
  const values = Object.fromEntries(filters.map((f) => [f.name, ctx.query.get(f.name) || ""]));
  let page = Math.max(1, Number(ctx.query.get("page")) || 1);
  const results = h("div", { class: "results" });
  const summary = h("span", { class: "muted" });
  const panel = h("section", { class: "detail-panel" });
  async function load() {
    let data;
    try {
      data = await get(path, { ...values, page, per_page: PER_PAGE });
    } catch (error) {
      ctx.fail(error);
      return;
    }
    if (!ctx.alive()) return;
    summary.textContent = `共 ${data.count} 条`;
    const rows = table(columns, data.data, { empty: "暂无记录", rowAttrs: (r) => ({ class: "target-row", dataset: { id: r.id } }) });
    rows.querySelectorAll("tr.target-row").forEach((tr, i) => tr.addEventListener("click", () => detail && detail(data.data[i], panel, load)));
    replace(results, rows, data.page ? pager({ page: data.page, perPage: data.per_page, count: data.count, onPage: (p) => { page = p; load(); } }) : null);
  }
  const controls = filters.map((f) => {
    const control = select({ id: `filter-${f.name}` }, f.options, values[f.name]);
    control.addEventListener("change", () => {
      values[f.name] = control.value;
      page = 1;
      ctx.setQuery({ ...values });
      load();
    });
    return labelled(f.label, control);
  });
  replace(
    main,
    h("div", { class: "page-head" }, h("h1", null, title), summary),
    h("form", { class: "filters", onsubmit: (e) => e.preventDefault() }, ...controls),
    h("p", { class: "legend" }, legend),
    extra ? extra(load) : null,
    results,
    panel,
  );
  await load();
}

function identifiers(list) {
  return list.length ? list.map((i) => h("div", null, `${i.kind_label}：${i.value ?? "—"}`)) : "—";
}

export async function renderSuspects(main, ctx) {
  async function detail(row, panel, reload) {
    const s = await get(`/suspects/${row.id}`, { reason: READ.suspect });
    const history = table(
      [
        { label: "决定日期", cell: (c) => formatDate(c.decided_on) },
        { label: "变更", cell: (c) => `${c.from_label} → ${c.to_label}` },
        { label: "决定机关", cell: (c) => c.authority },
        { label: "文书号", cell: (c) => c.document_no },
      ],
      s.history,
      { empty: "尚无法律文书记录" },
    );
    const parts = [h("h2", null, `嫌疑人 #${s.id} ${s.name ?? ""}`), fieldList([["角色", s.role_label], ["法律状态", s.legal_status_label], ["辖区", s.district], ["身份证号", s.id_number], ["关联号码/账户", identifiers(s.identifiers)]]), history];
    if (ctx.can("suspect.write") && LEGAL_NEXT[s.legal_status].length) {
      const to = select({ id: "legal-to" }, LEGAL_NEXT[s.legal_status].map((c) => [c, legalLabel(c)]));
      const day = dayInput("legal-day");
      day.required = true;
      const authority = h("input", { id: "legal-authority", maxlength: 64, placeholder: "决定机关，如：南宁市公安局青秀分局" });
      const doc = h("input", { id: "legal-doc", maxlength: 64, placeholder: "文书号" });
      const save = h("button", { type: "submit" }, "登记法律文书");
      const form = h("form", { class: "inline-form", id: "legal-form" }, labelled("变更为", to), labelled("日期", day), labelled("机关", authority), labelled("文书号", doc), save);
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (!checkDays([["日期", day]])) return;
        try {
          await post(`/suspects/${s.id}/status`, { to_status: to.value, decided_on: day.value.trim(), authority: authority.value.trim(), document_no: doc.value.trim(), version: s.version });
          showNotice(`嫌疑人 #${s.id} 已变更为${legalLabel(to.value)}`);
          await reload();
          await detail(row, panel, reload);
        } catch (error) {
          ctx.fail(error);
        }
      });
      parts.push(form);
    }
    replace(panel, ...parts);
  }
  await listPage(main, ctx, {
    title: "犯罪嫌疑人",
    legend: "法律状态按 已查明 → 在逃 → 刑事拘留 → 逮捕 → 起诉 → 判决 / 取保候审 / 释放 的顺序登记，每次变更须有决定日期、决定机关和文书号。点击一行查看详情（查询将记入审计）。",
    path: "/suspects",
    filters: [
      { name: "role", label: "角色", options: ROLES },
      { name: "status", label: "法律状态", options: LEGAL },
    ],
    columns: [
      { label: "编号", cell: (r) => `#${r.id}` },
      { label: "姓名", cell: (r) => r.name ?? "—" },
      { label: "角色", cell: (r) => r.role_label },
      { label: "辖区", cell: (r) => r.district || "—" },
      { label: "法律状态", cell: (r) => h("span", { class: `badge state-${r.legal_status}` }, r.legal_status_label) },
      { label: "到案时间", cell: (r) => (r.caught_at ? formatTime(r.caught_at) : "—") },
    ],
    detail,
  });
}

export async function renderFugitives(main, ctx) {
  async function detail(row, panel) {
    const f = await get(`/fugitives/${row.id}`, { reason: READ.fugitive });
    const hits = table(
      [
        { label: "比中时间", cell: (x) => formatTime(x.found_at) },
        { label: "比中项", cell: (x) => `${x.kind_label} ${x.value ?? ""}` },
        { label: "出现在", cell: (x) => `${x.record_label} #${x.record_id}` },
        { label: "线索", cell: (x) => (x.clue_id ? `紧急线索 #${x.clue_id}` : "—") },
      ],
      f.hits,
      { empty: "尚未比中新记录" },
    );
    replace(panel, h("h2", null, `在逃人员 #${f.id} ${f.name ?? ""}`), fieldList([["网逃编号", f.warrant_no], ["上网日期", f.wanted_since ? formatDate(f.wanted_since) : "—"], ["负责单位", f.district || "市局"], ["可比对标识", identifiers(f.identifiers)]]), h("h3", null, "比中记录"), hits);
  }
  await listPage(main, ctx, {
    title: "在逃人员",
    legend: "每次数据导入（话单、资金流水、开户、设备日志）和每条新预警事件都与在逃人员的手机号、IMSI、IMEI、银行卡、即时通讯账号、身份证号比对；比中即生成紧急线索交负责单位（线索不过夜），同一记录不重复比中。",
    path: "/fugitives",
    filters: [{ name: "state", label: "状态", options: [["", "全部"], ["wanted", "在逃"], ["caught", "已抓获"]] }],
    columns: [
      { label: "编号", cell: (r) => `#${r.id}` },
      { label: "姓名", cell: (r) => r.name ?? "—" },
      { label: "网逃编号", cell: (r) => r.warrant_no },
      { label: "负责单位", cell: (r) => r.district || "市局" },
      { label: "状态", cell: (r) => h("span", { class: `badge state-${r.state}` }, r.state === "wanted" ? "在逃" : "已抓获") },
    ],
    detail,
  });
}

export async function renderKeyPersons(main, ctx) {
  const areas = h("div", { id: "key-areas" });
  async function loadAreas() {
    const data = await get("/key-areas");
    replace(areas, h("h2", null, `重点村屯（${data.count}）`), table([{ label: "名称", cell: (a) => a.name }, { label: "级别", cell: (a) => a.kind_label }, { label: "辖区", cell: (a) => a.district || "—" }, { label: "重点人员", class: "num", cell: (a) => String(a.key_persons) }, { label: "列管原因", class: "reason", cell: (a) => a.reason || "—" }], data.data, { empty: "暂无重点村屯" }));
  }
  async function detail(row, panel, reload) {
    const p = await get(`/key-persons/${row.id}`, { reason: READ.keyPerson });
    const parts = [h("h2", null, `重点人员 #${p.id} ${p.name ?? ""}`), fieldList([["类别", p.kind_label], ["起始日期", p.since ? formatDate(p.since) : "—"], ["管控截止", p.until ? formatDate(p.until) : "长期"], ["走访周期", `${p.follow_up_days} 天`], ["下次走访", p.next_follow_up_on ? formatDate(p.next_follow_up_on) : "—"], ["备注", p.note]]), table([{ label: "应访日期", cell: (x) => formatDate(x.due_on) }, { label: "走访时间", cell: (x) => (x.done_at ? formatTime(x.done_at) : "—") }, { label: "情况", class: "reason", cell: (x) => x.finding }], p.follow_ups, { empty: "尚无走访记录" })];
    if (ctx.can("keyarea.write")) {
      const finding = h("input", { id: "follow-up-finding", maxlength: 2000, placeholder: "走访情况，如：在家，未再办卡" });
      const form = h("form", { class: "inline-form", id: "follow-up-form" }, labelled("走访情况", finding), h("button", { type: "submit" }, "登记走访"));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        try {
          await post(`/key-persons/${p.id}/follow-ups`, { finding: finding.value.trim() });
          showNotice(`重点人员 #${p.id} 已登记走访`);
          await reload();
          await detail(row, panel, reload);
        } catch (error) {
          ctx.fail(error);
        }
      });
      parts.push(form);
    }
    replace(panel, ...parts);
  }
  await listPage(main, ctx, {
    title: "重点人员",
    legend: "两卡惩戒人员按五年惩戒期管控（期满自动移出），境外回流、刑满释放人员管控一年，村规民约管控人员长期管控；按走访周期排定下次走访。",
    path: "/key-persons",
    filters: [
      { name: "kind", label: "类别", options: [["", "全部类别"], ["two_card", "两卡惩戒人员"], ["returnee", "境外回流人员"], ["released", "刑满释放人员"], ["village_rules", "村规民约管控人员"]] },
      { name: "due", label: "走访", options: [["", "全部"], ["true", "到期未访"]] },
    ],
    columns: [
      { label: "编号", cell: (r) => `#${r.id}` },
      { label: "姓名", cell: (r) => r.name ?? "—" },
      { label: "类别", cell: (r) => r.kind_label },
      { label: "辖区", cell: (r) => r.district || "—" },
      { label: "管控截止", cell: (r) => (r.until ? formatDate(r.until) : "长期") },
      { label: "下次走访", cell: (r) => (r.next_follow_up_on ? formatDate(r.next_follow_up_on) : "—") },
    ],
    detail,
    extra: () => areas,
  });
  await loadAreas().catch(ctx.fail);
}

export async function renderRectifications(main, ctx) {
  async function move(r, to, reload) {
    const body = { to_state: to, version: r.version };
    if (to === "passed" || to === "failed") body.recheck_result = window.prompt("复查情况：") || "";
    if (r.state === "failed" && to === "rectifying") body.deadline = window.prompt("新的整改期限（YYYY-MM-DD）：") || null;
    try {
      await post(`/rectifications/${r.id}/transition`, body);
      showNotice(`整改 #${r.id} 已变更为${RECT_LABELS[to]}`);
    } catch (error) {
      ctx.fail(error);
    }
    reload();
  }
  let reloadList = null;
  const actions = (r) => {
    if (!ctx.can("rectification.write")) return "—";
    return h("div", { class: "rect-actions" }, RECT_NEXT[r.state].map((to) => {
      const button = h("button", { type: "button", class: "ghost", dataset: { to } }, RECT_LABELS[to]);
      button.addEventListener("click", (event) => {
        event.stopPropagation();
        move(r, to, reloadList);
      });
      return button;
    }));
  };
  await listPage(main, ctx, {
    title: "行业整改",
    legend: "按断卡分析（网点所开卡中涉案卡占比的置信下限）排名靠前的营业网点列入整改：待整改 → 整改中 → 待复查 → 复查通过 / 复查未通过（再次整改或移交处罚）。选择“逾期未改”查看超过整改期限的网点。",
    path: "/rectifications",
    filters: [
      { name: "overdue", label: "范围", options: [["", "全部"], ["true", "逾期未改"]] },
      { name: "state", label: "状态", options: [["", "全部状态"], ...Object.entries(RECT_LABELS)] },
    ],
    columns: [
      { label: "编号", cell: (r) => `#${r.id}` },
      { label: "网点", cell: (r) => r.outlet_name || `网点 #${r.outlet_id}` },
      { label: "辖区", cell: (r) => r.district || "—" },
      { label: "原因", class: "reason", cell: (r) => r.reason },
      { label: "整改措施", cell: (r) => r.measures.join("；") },
      { label: "整改期限", cell: (r) => formatDate(r.deadline) },
      { label: "状态", cell: (r) => h("span", { class: `badge state-${r.state}` }, r.state_label, r.overdue_days ? ` 逾期${r.overdue_days}天` : "") },
      { label: "复查", cell: (r) => r.recheck_result || "—" },
      { label: "操作", cell: actions },
    ],
    extra: (load) => {
      reloadList = load;
      if (!ctx.can("rectification.write")) return null;
      const deadline = dayInput("rect-deadline");
      const measures = h("input", { id: "rect-measures", placeholder: "整改措施，多条用；分隔", value: "严格落实实名制核验；清理一人多卡；开展员工培训" });
      const form = h("form", { class: "inline-form", id: "rect-open" }, labelled("整改期限", deadline), labelled("措施", measures), h("button", { type: "submit" }, "按断卡排名列入整改"));
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        if (!checkDays([["整改期限", deadline]])) return;
        try {
          const made = await post("/rectifications", { deadline: deadline.value.trim(), measures: measures.value.split(/[;；]/).map((m) => m.trim()).filter(Boolean) });
          showNotice(`新列入整改网点 ${made.count} 个`);
          load();
        } catch (error) {
          ctx.fail(error);
        }
      });
      return form;
    },
  });
}
