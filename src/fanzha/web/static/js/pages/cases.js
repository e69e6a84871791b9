// 案件查询: the case list (filters, pages) and one case with its victim, transfers and tasks.

import { PURPOSE, get } from "../api.js";
import { fieldList, h, replace, table } from "../dom.js";
import { formatTime, formatYuan } from "../format.js";
import { districtOptions, exportButtons, getOrNotFound, labelled, pager, printButton, select, stateBadge } from "../widgets.js";

const PER_PAGE = 20;

function statusLabel(meta, status) {
  return meta.case_statuses[status] || status;
}

function readFilters(query) {
  return {
    fraud_type: query.get("fraud_type") || "",
    district: query.get("district") || "",
    status: query.get("status") || "",
    page: Math.max(1, Number(query.get("page")) || 1),
  };
}

export async function renderList(main, ctx) {
  const filters = readFilters(ctx.query);
  const results = h("div", { id: "case-results" });
  const summary = h("span", { id: "case-count", class: "muted" });

  async function load() {
    ctx.setQuery({ ...filters, page: filters.page > 1 ? filters.page : null });
    let data;
    try {
      data = await get("/cases", { ...filters, per_page: PER_PAGE, reason: PURPOSE.caseList });
    } catch (error) {
      ctx.fail(error);
      return;
    }
    if (!ctx.alive()) return;
    summary.textContent = `共 ${data.count} 起`;
    replace(
      results,
      table(
        [
          { label: "案件编号", cell: (c) => h("a", { href: `/cases/${c.id}`, class: "case-link" }, c.case_no) },
          { label: "诈骗类型", cell: (c) => c.fraud_type_name },
          { label: "损失金额", class: "num", cell: (c) => formatYuan(c.amount_lost_fen) },
          { label: "辖区", cell: (c) => c.district || "—" },
          { label: "发案时间", cell: (c) => formatTime(c.occurred_at) },
          { label: "报案时间", cell: (c) => formatTime(c.reported_at) },
          { label: "状态", cell: (c) => h("span", { class: `badge case-${c.status}` }, statusLabel(ctx.meta, c.status)) },
          { label: "受害人", cell: (c) => c.victim_name || "—" },
          { label: "简要案情", class: "reason", cell: (c) => c.summary || "—" },
        ],
        data.data,
        { empty: "没有符合条件的案件" },
      ),
      pager({
        page: data.page,
        perPage: data.per_page,
        count: data.count,
        onPage: (page) => {
          filters.page = page;
          load();
        },
      }),
    );
  }

  const types = ctx.meta.fraud_types.filter((t) => t.category === "fraud" || t.category === "illegal");
  const fraudType = select({ id: "filter-fraud-type" }, [["", "全部类型"], ...types.map((t) => [t.code, t.name])], filters.fraud_type);
  const districts = await get("/districts");
  if (!districts.data.includes(filters.district)) filters.district = districts.own || "";
  const district = select({ id: "filter-district" }, districtOptions(districts), filters.district);
  const status = select({ id: "filter-status" }, [["", "全部状态"], ...Object.entries(ctx.meta.case_statuses)], filters.status);
  const form = h(
    "form",
    { id: "case-filters", class: "filters" },
    labelled("诈骗类型", fraudType),
    labelled("辖区", district),
    labelled("状态", status),
    h("button", { type: "submit", class: "primary" }, "查询"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    Object.assign(filters, { fraud_type: fraudType.value, district: district.value, status: status.value, page: 1 });
    load();
  });
  const exportQuery = () => ({ ...filters, page: null });
  replace(main, h("div", { class: "page-head" }, h("h1", null, "案件查询"), summary, exportButtons("cases", exportQuery, PURPOSE.exportCases, { id: "case-export" })), form, results);
  await load();
}

export async function renderDetail(main, ctx) {
  const id = Number(ctx.params[0]);
  const item = await getOrNotFound(main, `/cases/${id}`, "案件", "/cases", "返回案件列表", { reason: PURPOSE.caseDetail });
  if (!item || !ctx.alive()) return;
  const victim = item.victim;
  const states = Object.fromEntries(ctx.meta.states.map((s) => [s.state, s.label]));
  replace(
    main,
    h("p", null, h("a", { href: "/cases", class: "back" }, "‹ 返回案件列表")),
    h(
      "div",
      { class: "page-head" },
      h("h1", { id: "case-title" }, `案件 ${item.case_no}`),
      h("span", { class: `badge case-${item.status}` }, statusLabel(ctx.meta, item.status)),
      ctx.can("funds.trace") ? h("a", { href: `/cases/${id}/funds`, id: "case-funds", class: "button primary no-print" }, "资金追踪") : null,
      printButton(null, { id: "case-print", label: "打印案件摘要" }),
    ),
    h("p", { class: "print-only print-meta" }, `打印时间：${formatTime(new Date())}（北京时间）`),
    h(
      "div",
      { class: "grid" },
      h(
        "div",
        { class: "col" },
        h(
          "section",
          { class: "card" },
          h("h2", null, "案件信息"),
          fieldList([
            ["诈骗类型", item.fraud_type_name],
            ["损失金额", formatYuan(item.amount_lost_fen)],
            ["辖区", item.district],
            ["发案时间", formatTime(item.occurred_at)],
            ["报案时间", formatTime(item.reported_at)],
          ]),
          h("h3", null, "简要案情"),
          h("p", { class: "summary" }, item.summary || "—"),
        ),
      ),
      h(
        "div",
        { class: "col" },
        h(
          "section",
          { class: "card" },
          h("h2", null, "受害人"),
          victim
            ? fieldList([
                ["姓名", victim.name],
                ["身份证号", victim.id_number],
                ["电话", victim.phone_number],
                ["年龄", victim.age === null ? "—" : `${victim.age} 岁`],
                ["住址", [victim.district, victim.town, victim.village].filter(Boolean).join(" ") || "—"],
                ["职业", victim.occupation],
              ])
            : h("p", { class: "muted" }, "未登记受害人"),
        ),
        h(
          "section",
          { class: "card" },
          h("h2", null, "受害人的预警任务"),
          table(
            [
              { label: "任务", cell: (t) => (ctx.can("task.read") ? h("a", { href: `/tasks/${t.id}` }, `#${t.id}`) : `#${t.id}`) },
              { label: "状态", cell: (t) => stateBadge(t.state, states[t.state]) },
              { label: "创建时间", cell: (t) => formatTime(t.created_at) },
            ],
            item.tasks || [],
            { empty: "没有预警任务" },
          ),
        ),
      ),
    ),
    // The transfers get the page's full width: at 1400 px a half column cut off 金额/时间/渠道.
    h(
      "section",
      { class: "card", id: "case-transfers" },
      h("div", { class: "section-head" }, h("h2", null, `资金流水（${(item.transfers || []).length}）`), exportButtons(`cases/${id}/transfers`, () => ({}), PURPOSE.exportTransfers, { id: "transfers-export" })),
      table(
        [
          { label: "流水号", cell: (t) => h("code", null, t.txn_id) },
          { label: "转出账户", cell: (t) => h("code", null, t.src_account) },
          { label: "转入账户", cell: (t) => h("code", null, t.dst_account) },
          { label: "金额", class: "num", cell: (t) => formatYuan(t.amount_fen) },
          { label: "时间", cell: (t) => formatTime(t.at) },
          { label: "渠道", cell: (t) => t.channel_name },
        ],
        item.transfers || [],
        { empty: "没有关联的转账" },
      ),
    ),
  );
}
