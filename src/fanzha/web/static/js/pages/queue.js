// 预警队列: the warning tasks, most urgent first, coloured by priority, SLA ticking.

import { PURPOSE, get, post } from "../api.js";
import { h, replace, showNotice, table } from "../dom.js";
import { formatTime, formatYuan } from "../format.js";
import { bandBadge, districtOptions, exportButtons, labelled, pager, select, slaCell, sortHeader, stateBadge } from "../widgets.js";

const PER_PAGE = 25;
const REFRESH_MS = 30000;

function readFilters(query, own) {
  return {
    state: query.get("state") || "open",
    district: query.has("district") ? query.get("district") : own || "",
    mine: query.get("mine") === "1",
    sort: query.get("sort") || "priority",
    page: Math.max(1, Number(query.get("page")) || 1),
  };
}

function apiQuery(filters) {
  const query = { sort: filters.sort, page: filters.page, per_page: PER_PAGE, district: filters.district, mine: filters.mine ? "true" : null };
  if (filters.state === "open") query.open_only = "true";
  else if (filters.state !== "all") query.state = filters.state;
  return query;
}

function columns(filters, onSort) {
  return [
    { th: sortHeader("优先级", "priority", filters.sort, onSort), cell: (t) => bandBadge(t.band, t.band_label, t.priority) },
    { label: "编号", cell: (t) => h("a", { href: `/tasks/${t.id}`, class: "task-link" }, `#${t.id}`) },
    { label: "状态", cell: (t) => stateBadge(t.state, t.state_label) },
    { label: "诈骗类型", cell: (t) => t.fraud_type_name },
    { label: "涉险金额", class: "num", cell: (t) => formatYuan(t.money_at_risk_fen) },
    { label: "辖区", cell: (t) => t.district || "—" },
    { label: "联系电话", cell: (t) => t.phone_number || "—" },
    { label: "处置民警", cell: (t) => t.assignee_name || h("span", { class: "muted" }, "未分派") },
    { label: "预警原因", class: "reason", cell: (t) => t.reason || "—" },
    { th: sortHeader("创建时间", "created", filters.sort, onSort), cell: (t) => formatTime(t.created_at) },
    { th: sortHeader("SLA 倒计时", "sla", filters.sort, onSort), cell: slaCell },
    { label: "联系次数", class: "num", cell: (t) => t.contact_count },
  ];
}

export async function render(main, ctx) {
  const districts = await get("/districts");
  if (!ctx.alive()) return undefined;
  const filters = readFilters(ctx.query, districts.own);
  if (!districts.data.includes(filters.district)) filters.district = districts.own || "";
  const results = h("div", { id: "queue-results" });
  const summary = h("span", { id: "queue-count", class: "muted" });

  const apply = (changes) => {
    Object.assign(filters, changes);
    ctx.setQuery({
      state: filters.state === "open" ? null : filters.state,
      district: filters.district === (districts.own || "") ? null : filters.district,
      mine: filters.mine ? "1" : null,
      sort: filters.sort === "priority" ? null : filters.sort,
      page: filters.page > 1 ? filters.page : null,
    });
    load();
  };

  async function load() {
    let data;
    try {
      data = await get("/tasks", { ...apiQuery(filters), reason: PURPOSE.queue });
    } catch (error) {
      ctx.fail(error);
      return;
    }
    if (!ctx.alive()) return;
    summary.textContent = `共 ${data.count} 条`;
    const onSort = (sort) => apply({ sort, page: 1 });
    const rowAttrs = (t) => ({
      class: `task-row band-${t.band}`,
      dataset: { taskId: t.id },
      tabindex: 0,
      onclick: (event) => {
        if (!event.target.closest("a")) ctx.navigate(`/tasks/${t.id}`);
      },
      onkeydown: (event) => {
        if (event.key === "Enter") ctx.navigate(`/tasks/${t.id}`);
      },
    });
    replace(
      results,
      table(columns(filters, onSort), data.data, { empty: "队列中没有符合条件的任务", rowAttrs }),
      pager({ page: data.page, perPage: data.per_page, count: data.count, onPage: (page) => apply({ page }) }),
    );
  }

  const stateOptions = [["open", "在办任务"], ["all", "全部状态"], ...ctx.meta.states.map((s) => [s.state, s.label])];
  const stateSelect = select({ id: "filter-state" }, stateOptions, filters.state);
  stateSelect.addEventListener("change", () => apply({ state: stateSelect.value, page: 1 }));
  const district = select({ id: "filter-district" }, districtOptions(districts), filters.district);
  district.addEventListener("change", () => apply({ district: district.value, page: 1 }));
  const mine = h("input", { id: "filter-mine", type: "checkbox", checked: filters.mine });
  mine.addEventListener("change", () => apply({ mine: mine.checked, page: 1 }));
  const sortSelect = select({ id: "filter-sort" }, [["priority", "按优先级"], ["sla", "按 SLA 到期"], ["created", "按创建时间（最新）"]], filters.sort);
  sortSelect.addEventListener("change", () => apply({ sort: sortSelect.value, page: 1 }));
  const refresh = h("button", { type: "button", id: "queue-refresh" }, "刷新");
  refresh.addEventListener("click", load);

  let assignButton = null;
  if (ctx.can("task.assign")) {
    assignButton = h("button", { type: "button", id: "queue-assign" }, "自动分派待分派任务");
    assignButton.addEventListener("click", async () => {
      try {
        const done = await post("/tasks/assign");
        const assigned = done.data.filter((item) => item.officer_id).length;
        showNotice(`已分派 ${assigned} 个任务`, done.count > assigned ? `（${done.count - assigned} 个暂无合适民警）` : "");
        load();
      } catch (error) {
        ctx.fail(error);
      }
    });
  }

  replace(
    main,
    h("div", { class: "page-head" }, h("h1", null, "预警队列"), summary, exportButtons("queue", () => ({ ...apiQuery(filters), page: null, per_page: null }), PURPOSE.exportQueue, { id: "queue-export" })),
    h(
      "form",
      { class: "filters", onsubmit: (event) => event.preventDefault() },
      labelled("状态", stateSelect),
      labelled("辖区", district),
      labelled("排序", sortSelect),
      h("label", { class: "check" }, mine, "只看分派给我的"),
      refresh,
      assignButton,
    ),
    h("p", { class: "legend" }, "优先级：", bandBadge("high", "高"), bandBadge("medium", "中"), bandBadge("low", "低"), " · SLA 为首次联系时限，每秒更新"),
    results,
  );
  await load();
  const timer = setInterval(() => {
    if (!document.hidden) load();
  }, REFRESH_MS);
  return () => clearInterval(timer);
}
