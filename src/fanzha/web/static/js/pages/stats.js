// 战果统计 (指挥大屏): the headline figures with 环比/同比, the weekly trend, the districts
// (bars and the schematic map), fraud-type shares; a tile or a bar opens the records behind it.
// Charts are drawn with the vendored ECharts (static/vendor/echarts), loaded on first use.

import { API, get } from "../api.js";
import { h, replace, table } from "../dom.js";
import { formatCount, formatYuan } from "../format.js";
import { checkDays, dayInput, labelled } from "../widgets.js";

const ECHARTS = "/static/vendor/echarts/echarts.min.js";
const GEO = "/static/geo/demo_city_districts.json";
const MAP = "demo-city";
const TREND = ["cases", "warned", "dissuaded"];
let loading = null;

/** The ECharts global, loading its script once (it is a UMD bundle, not a module). */
function loadEcharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  loading ??= new Promise((resolve, reject) => {
    const script = h("script", { src: ECHARTS });
    script.addEventListener("load", () => resolve(window.echarts));
    script.addEventListener("error", () => {
      loading = null;
      reject(new Error("无法加载图表组件，请刷新页面重试"));
    });
    document.head.append(script);
  });
  return loading;
}

/** Register the district map once (schematic tiles, not real boundaries). */
async function loadMap(echarts) {
  if (echarts.getMap(MAP)) return;
  const response = await fetch(GEO, { credentials: "same-origin" });
  if (!response.ok) throw new Error("无法加载辖区示意图");
  echarts.registerMap(MAP, await response.json());
}

/** Today in Beijing as 年-月-日. */
function beijingToday() {
  return new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10);
}

function pct(value) {
  if (value === null || value === undefined) return "—";
  return `${value > 0 ? "+" : ""}${value.toFixed(1)}%`;
}

function change(label, value) {
  const cls = value === null || value === undefined || value === 0 ? "flat" : value > 0 ? "up" : "down";
  return h("span", { class: `stat-change stat-${cls}` }, `${label} ${pct(value)}`);
}

function tile(figure, onOpen) {
  const value = figure.no_records ? "无记录" : `${formatCount(figure.count)} ${figure.unit}`;
  const el = h(
    "button",
    { type: "button", class: `tile stat-tile tile-${figure.key}`, dataset: { figure: figure.key }, title: "查看明细", disabled: figure.no_records },
    h("span", { class: "tile-label" }, figure.label),
    h("strong", { class: "tile-value" }, value),
    figure.amount_fen ? h("span", { class: "stat-amount" }, formatYuan(figure.amount_fen)) : null,
    h("span", { class: "stat-changes" }, change("环比", figure.change_pct), change("同比", figure.yoy_pct)),
  );
  el.addEventListener("click", () => onOpen({ figure: figure.key, label: figure.label }));
  return el;
}

function rowsTable(data, typeNames) {
  return table(
    [
      { label: "编号", cell: (r) => r.ref },
      { label: "日期", cell: (r) => r.day },
      { label: "辖区", cell: (r) => r.district || "—" },
      { label: "诈骗类型", cell: (r) => (r.fraud_type ? typeNames[r.fraud_type] || r.fraud_type : "—") },
      { label: "内容", cell: (r) => r.detail },
      { label: "金额", class: "num", cell: (r) => (r.amount_fen ? formatYuan(r.amount_fen) : "—") },
    ],
    data,
    { empty: "没有记录", rowAttrs: (r) => ({ dataset: { ref: r.ref } }) },
  );
}

const AXIS_TEXT = { color: "#cfd8e3" };
const SPLIT = { lineStyle: { color: "rgba(255,255,255,0.12)" } };

function trendOption(data) {
  const weeks = [...new Set(data.trend.map((p) => p.week))].sort();
  const labels = Object.fromEntries(data.figures.map((f) => [f.key, f.label]));
  const series = TREND.map((key) => {
    const byWeek = Object.fromEntries(data.trend.filter((p) => p.figure === key).map((p) => [p.week, p.count]));
    return { name: labels[key] || key, type: "line", smooth: true, data: weeks.map((w) => byWeek[w] ?? 0) };
  });
  return {
    tooltip: { trigger: "axis", renderMode: "richText" },
    legend: { textStyle: AXIS_TEXT, top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 28 },
    xAxis: { type: "category", data: weeks.map((w) => w.slice(5)), axisLabel: AXIS_TEXT },
    yAxis: { type: "value", axisLabel: AXIS_TEXT, splitLine: SPLIT },
    series,
  };
}

function districtOption(data) {
  const rows = [...data.districts].sort((a, b) => a.cases - b.cases);
  return {
    tooltip: { trigger: "axis", renderMode: "richText", axisPointer: { type: "shadow" } },
    grid: { left: 72, right: 24, top: 12, bottom: 24 },
    xAxis: { type: "value", axisLabel: AXIS_TEXT, splitLine: SPLIT },
    yAxis: { type: "category", data: rows.map((r) => r.district), axisLabel: AXIS_TEXT },
    series: [{ name: "电诈案件", type: "bar", data: rows.map((r) => r.cases), itemStyle: { color: "#3ba0ff" } }],
  };
}

function typeOption(data) {
  return {
    tooltip: { trigger: "item", renderMode: "richText", formatter: "{b}：{c} 起（{d}%）" },
    series: [
      {
        type: "pie",
        radius: ["35%", "68%"],
        label: { color: "#cfd8e3" },
        data: data.types.filter((t) => t.cases).map((t) => ({ name: t.label, value: t.cases })),
      },
    ],
  };
}

function mapOption(data) {
  const max = Math.max(1, ...data.districts.map((r) => r.cases));
  return {
    tooltip: { trigger: "item", renderMode: "richText", formatter: (p) => `${p.name}：${formatCount(p.value || 0)} 起` },
    visualMap: { min: 0, max, right: 8, bottom: 8, text: ["多", "少"], textStyle: AXIS_TEXT, calculable: true, inRange: { color: ["#1b3a5c", "#3ba0ff", "#ff6b5b"] } },
    series: [
      {
        name: "电诈案件",
        type: "map",
        map: MAP,
        label: { show: true, color: "#ffffff", fontSize: 11 },
        itemStyle: { borderColor: "#0b1726" },
        data: data.districts.map((r) => ({ name: r.district, value: r.cases })),
      },
    ],
  };
}

function chartCard(id, title, wide) {
  return h("section", { class: `card screen-card${wide ? " screen-wide" : ""}` }, h("h2", null, title), h("div", { id, class: "echart" }));
}

export async function render(main, ctx) {
  const q = ctx.query;
  const today = beijingToday();
  const since = dayInput("stats-since", q.get("since") || `${today.slice(0, 8)}01`);
  const until = dayInput("stats-until", q.get("until") || today);
  const body = h("div", { id: "stats-body" });
  const detail = h("section", { id: "stats-rows", class: "card", hidden: true });
  const typeNames = (ctx.meta.graph_values || {}).fraud_type || {};
  let charts = [];
  const resize = () => charts.forEach((chart) => chart.resize());

  const period = () => `${since.value.trim()}..${until.value.trim()}`;

  async function openRows({ figure, label, district }) {
    detail.hidden = false;
    replace(detail, h("h2", null, `${label}${district ? ` · ${district}` : ""} · 明细`), h("p", { class: "muted" }, "正在加载…"));
    let data;
    try {
      data = await get("/stats/rows", { figure, period: period(), district, limit: 200 });
    } catch (error) {
      ctx.fail(error);
      return;
    }
    if (!ctx.alive()) return;
    const shown = data.count > data.data.length ? `（共 ${formatCount(data.count)} 条，显示最新 ${formatCount(data.data.length)} 条）` : `（共 ${formatCount(data.count)} 条）`;
    replace(detail, h("h2", null, `${data.label}${district ? ` · ${district}` : ""} · 明细`, h("span", { class: "muted" }, shown)), rowsTable(data.data, typeNames));
    detail.scrollIntoView({ block: "nearest" });
  }

  function downloads() {
    const query = new URLSearchParams({ period: period() }).toString();
    return h(
      "span",
      { class: "buttons no-print", id: "stats-downloads" },
      h("a", { href: `${API}/stats/report.xlsx?${query}`, download: "", class: "button small", id: "stats-xlsx" }, "下载通报 XLSX"),
      h("a", { href: `${API}/stats/report.pdf?${query}`, download: "", class: "button small", id: "stats-pdf" }, "下载通报 PDF"),
    );
  }

  async function draw(data) {
    const echarts = await loadEcharts();
    await loadMap(echarts);
    if (!ctx.alive()) return;
    charts.forEach((chart) => chart.dispose());
    const make = (id, option) => {
      const chart = echarts.init(document.getElementById(id), null, { renderer: "canvas" });
      chart.setOption(option);
      return chart;
    };
    const bars = make("stats-chart-districts", districtOption(data));
    const map = make("stats-chart-map", mapOption(data));
    charts = [make("stats-chart-trend", trendOption(data)), bars, make("stats-chart-types", typeOption(data)), map];
    const byDistrict = (params) => {
      if (params.name) openRows({ figure: "cases", label: "电诈案件", district: params.name });
    };
    bars.on("click", byDistrict);
    map.on("click", byDistrict);
  }

  async function load() {
    ctx.setQuery({ since: since.value.trim(), until: until.value.trim() });
    detail.hidden = true;
    let data;
    try {
      data = await get("/stats", { period: period() });
    } catch (error) {
      ctx.fail(error);
      return;
    }
    if (!ctx.alive()) return;
    replace(
      body,
      h("p", { id: "stats-sentence", class: "stat-sentence" }, data.sentence),
      h("div", { id: "stats-tiles", class: "tiles stat-tiles" }, data.figures.map((figure) => tile(figure, openRows))),
      h(
        "div",
        { class: "screen-grid" },
        chartCard("stats-chart-trend", "每周走势", true),
        chartCard("stats-chart-districts", "各辖区电诈案件（点击查看明细）"),
        chartCard("stats-chart-map", "辖区分布（示意图）"),
        chartCard("stats-chart-types", "诈骗类型占比"),
      ),
      h("p", { class: "muted" }, `环比：${data.previous}；同比：${data.year_ago}。辖区图为示意方块，不代表真实行政边界。`),
    );
    replace(downloadSlot, downloads());
    try {
      await draw(data);
    } catch (error) {
      ctx.fail(error);
    }
  }

  const downloadSlot = h("span");
  const form = h(
    "form",
    { id: "stats-filters", class: "filters" },
    labelled("开始日期", since),
    labelled("结束日期", until),
    h("button", { type: "submit", class: "primary" }, "统计"),
    downloadSlot,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (checkDays([["开始日期", since], ["结束日期", until]])) load();
  });
  replace(
    main,
    h("div", { class: "stats-screen" }, h("div", { class: "page-head" }, h("h1", null, "战果统计"), h("span", { class: "muted" }, "指挥大屏 · 统计期按北京时间，起止日均含")), form, body, detail),
  );
  window.addEventListener("resize", resize);
  await load();
  return () => {
    window.removeEventListener("resize", resize);
    charts.forEach((chart) => chart.dispose());
    charts = [];
  };
}
