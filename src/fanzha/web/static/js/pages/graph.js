// 研判扩线: start from a clue (a phone number, an account, person:ID …), expand it k hops
// through the entity graph, draw it (force layout in SVG, coloured by type, role or gang),
// click a node to see its properties and expand it one more hop.

import { ApiError, PURPOSE, get, post } from "../api.js";
import { errorText, fieldList, h, replace, s, showError, showNotice } from "../dom.js";
import { dayStart, formatCount, formatTime, formatYuan } from "../format.js";
import { MAX_NODES, bounds, colourKey, emptyGraph, layout, mergeGraph, neighbours } from "../force.js";
import { checkDays, dayInput, labelled, select } from "../widgets.js";

const HOPS = [1, 2, 3, 4];
const CAP = 50;
// Outlets link a card to every honest customer of the branch: off unless asked for.
const OFF_BY_DEFAULT = new Set(["opened-at"]);
const MODES = [
  ["type", "按类型"],
  ["role", "按角色"],
  ["gang", "按团伙"],
];
const LABEL_LIMIT = 60;

function typeLabel(meta, type) {
  const found = meta.graph_node_types.find((t) => t.type === type);
  return found ? found.label : type;
}

function edgeLabel(meta, type) {
  const found = meta.graph_edge_types.find((t) => t.type === type);
  return found ? found.label : type;
}

function propValue(meta, key, value) {
  const named = (meta.graph_values[key] || {})[value];
  if (named) return named;
  if (key.endsWith("_fen")) return formatYuan(value);
  if (key.endsWith("_at") || key === "first_seen") return formatTime(value);
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

function truncationText(t) {
  return `已截断：该节点还有 ${formatCount(t.dropped)} 个邻居未显示`;
}

function edgeTitle(meta, edge) {
  return [
    `${edge.source} → ${edge.target}`,
    `${edgeLabel(meta, edge.type)} ${formatCount(edge.count)} 次`,
    edge.amount_fen !== undefined ? `金额：${formatYuan(edge.amount_fen)}` : null,
    edge.duration_s !== undefined ? `通话时长：${formatCount(edge.duration_s)} 秒` : null,
    edge.first ? `首次：${formatTime(edge.first)}` : null,
    edge.last ? `最后：${formatTime(edge.last)}` : null,
  ]
    .filter(Boolean)
    .join("\n");
}

/** The legend entries of ``mode`` for the nodes on screen: [[colour key, label]]. Gangs
 * share ten colours, so a gang entry names every gang id drawn in its colour. */
export function legendItems(meta, nodes, mode) {
  const items = new Map();
  for (const node of nodes) {
    const key = colourKey(node, mode);
    const item = items.get(key) || { label: "", gangs: new Set() };
    items.set(key, item);
    if (key === "none") item.label = mode === "role" ? "无角色" : "未归入团伙";
    else if (mode === "role") item.label = meta.graph_roles[node.role.key] || node.role.label || node.role.key;
    else if (mode === "gang") item.gangs.add(Number(node.gang));
    else item.label = typeLabel(meta, node.type);
  }
  const label = (item) => (item.gangs.size ? `团伙 ${[...item.gangs].sort((a, b) => a - b).map((g) => `#${g}`).join("、")}` : item.label);
  return [...items]
    .map(([key, item]) => [key, label(item)])
    .sort((a, b) => (a[0] === "none") - (b[0] === "none") || (a[0] < b[0] ? -1 : 1));
}

/** The nodes and the node pairs (both directions) on any of ``paths`` (lists of node ids). */
export function pathPairs(paths) {
  const on = new Set();
  for (const path of paths) {
    path.forEach((id, i) => {
      on.add(id);
      if (i) on.add(`${path[i - 1]}\u0000${id}`).add(`${id}\u0000${path[i - 1]}`);
    });
  }
  return on;
}

/** Whether the API explained in Chinese why a clue found nothing (an ID number or a name
 * it looked up in the store). */
function explained(error) {
  return (error.status === 404 || (error.status === 422 && error.field === "id")) && /[\u3400-\u9fff]/.test(error.message);
}

/** The Chinese headline for a clue the API could not use (null: not about the clue). */
export function clueProblem(meta, error, clue) {
  if (!(error instanceof ApiError)) return null;
  // the API explains a clue it resolved in the store (an ID number, a name) in Chinese
  if (explained(error)) return errorText(error).replace(/^id[:：]\s*/, "");
  if (error.status === 404) return `关系图中没有“${clue}”：请核对号码或编号，或换一条线索`;
  if (error.status === 422 && error.field === "id") {
    const examples = meta.graph_node_types.slice(0, 4).map((t) => t.example);
    return `无法识别线索“${clue}”：请写成带类型的编号，例如 ${examples.join("、")}`;
  }
  return null;
}

function radius(degree) {
  return 6 + Math.min(8, Math.log2(1 + degree));
}

export async function render(main, ctx) {
  const meta = ctx.meta;
  const q = ctx.query;
  const state = { graph: emptyGraph(), selected: null, expanded: new Set(), filters: null, view: null, path: new Set() };
  const wanted = (q.get("types") || "").split(",").filter(Boolean);

  const clue = h("input", { id: "graph-clue", value: q.get("from") || "", required: true, maxlength: 200, placeholder: "手机号 / 银行卡号 / 身份证号 / 姓名 / person:123 / 网址" });
  const hops = select({ id: "graph-hops" }, HOPS.map((n) => [n, `${n} 跳`]), HOPS.includes(Number(q.get("hops"))) ? q.get("hops") : 2);
  const cap = h("input", { id: "graph-cap", type: "number", min: 1, max: MAX_NODES, value: q.get("cap") || CAP });
  const since = dayInput("graph-since", q.get("since"), "2026-09-01");
  const until = dayInput("graph-until", q.get("until"), "2026-09-30");
  const types = meta.graph_edge_types.map((t) =>
    h("input", { type: "checkbox", value: t.type, checked: wanted.length ? wanted.includes(t.type) : !OFF_BY_DEFAULT.has(t.type), dataset: { edgeType: t.type } }),
  );
  const mode = select({ id: "graph-colour" }, MODES, MODES.some(([m]) => m === q.get("colour")) ? q.get("colour") : "type");
  const svg = s("svg", { id: "graph-svg", class: "graph-svg", role: "img", "aria-label": "关系图" });
  const legend = h("div", { id: "graph-legend", class: "legend" });
  const stats = h("p", { id: "graph-stats", class: "muted" }, "输入线索后点击“扩线”。点击图中节点查看详情并继续扩线，滚轮缩放，拖动空白处平移。");
  const notices = h("ul", { id: "graph-truncated", class: "notices" });
  const panel = h("aside", { id: "graph-panel", class: "card graph-panel" }, h("h2", null, "节点详情"), h("p", { class: "muted" }, "点击图中的节点查看其属性。"));

  function readFilters() {
    const on = types.filter((box) => box.checked).map((box) => box.value);
    return {
      types: on.length === types.length ? null : on,
      since: dayStart(since.value.trim()),
      until: dayStart(until.value.trim(), 1),
      cap: Math.max(1, Math.min(MAX_NODES, Number(cap.value) || CAP)),
    };
  }

  function fail(error, clue) {
    const headline = clueProblem(meta, error, clue);
    if (headline && explained(error)) showError(headline);
    else if (headline) showError(error, headline);
    else ctx.fail(error);
  }

  async function fetchGraph(from, hopCount, filters) {
    return get("/graph/expand", { from, hops: hopCount, ...filters, reason: PURPOSE.expand });
  }

  async function search() {
    const filters = readFilters();
    const from = clue.value.trim();
    if (!from || !checkDays([["开始日期", since], ["结束日期", until]])) return;
    if (filters.types && !filters.types.length) {
      showError("请至少选择一种关系类型");
      return;
    }
    ctx.setQuery({ from, hops: hops.value, types: filters.types && filters.types.join(","), since: since.value, until: until.value, cap: filters.cap === CAP ? null : filters.cap, colour: mode.value === "type" ? null : mode.value });
    let data;
    try {
      data = await fetchGraph(from, Number(hops.value), filters);
    } catch (error) {
      fail(error, from);
      return;
    }
    if (!ctx.alive()) return;
    state.graph = emptyGraph();
    state.path = new Set();
    state.filters = filters;
    state.expanded = new Set(data.nodes.filter((n) => n.hop < Number(hops.value)).map((n) => n.id));
    const { skipped } = mergeGraph(state.graph, data);
    layout(state.graph);
    state.view = null;
    const seed = (data.stats && data.stats.seeds && data.stats.seeds[0]) || (data.nodes[0] && data.nodes[0].id);
    state.selected = state.graph.nodes.has(seed) ? seed : null;
    draw();
    if (skipped) showNotice(`节点过多：已显示 ${MAX_NODES} 个，另有 ${formatCount(skipped)} 个未加入`, "请缩小时间范围、减少跳数或关系类型");
  }

  async function expandNode(id, { more = false } = {}) {
    const filters = { ...(state.filters || readFilters()) };
    const cut = state.graph.truncated.get(id);
    if (more && cut) filters.cap = Math.min(MAX_NODES, cut.kept + cut.dropped);
    let data;
    try {
      data = await fetchGraph(id, 1, filters);
    } catch (error) {
      ctx.fail(error);
      return;
    }
    if (!ctx.alive()) return;
    state.expanded.add(id);
    const { added, skipped } = mergeGraph(state.graph, data, { anchor: id });
    if (added.length) {
      layout(state.graph, { iterations: 150, heat: 0.35 });
      state.view = null;
    }
    draw();
    const node = state.graph.nodes.get(id);
    const name = node ? node.label : id;
    if (skipped) showNotice(`已展开 ${name}：新增 ${added.length} 个节点；已达 ${MAX_NODES} 个节点上限，另有 ${formatCount(skipped)} 个未加入`);
    else showNotice(added.length ? `已展开 ${name}：新增 ${added.length} 个节点` : `已展开 ${name}：没有新的关联节点`);
  }

  async function findPath() {
    const from = state.selected || clue.value.trim();
    const to = pathTo.value.trim();
    if (!from || !to) return;
    const filters = state.filters || readFilters();
    let data;
    try {
      data = await get("/graph/path", { a: from, b: to, types: filters.types, since: filters.since, until: filters.until, reason: PURPOSE.path });
    } catch (error) {
      fail(error, error.message.includes(to) ? to : from);
      return;
    }
    if (!ctx.alive()) return;
    if (data.length < 0) {
      showNotice("在 6 跳内没有找到两条线索之间的关联");
      return;
    }
    const fresh = !state.graph.nodes.size;
    const { added } = mergeGraph(state.graph, data.graph, { truncation: false });
    if (added.length) {
      layout(state.graph, fresh ? {} : { iterations: 150, heat: 0.35 });
      state.view = null;
    }
    state.path = pathPairs(data.paths);
    draw();
    showNotice(`找到 ${data.paths.length} 条最短关联路径，长 ${data.length} 跳`, "路径已在图中加粗显示");
  }

  function onNode(id) {
    state.selected = id;
    if (state.expanded.has(id)) draw();
    else expandNode(id);
  }

  function drawPanel(adjacent) {
    const node = state.graph.nodes.get(state.selected);
    if (!node) {
      replace(panel, h("h2", null, "节点详情"), h("p", { class: "muted" }, "点击图中的节点查看其属性。"));
      return;
    }
    const cut = state.graph.truncated.get(node.id);
    const props = Object.entries(node.props || {}).map(([key, value]) => [meta.graph_props[key] || key, propValue(meta, key, value)]);
    const again = h("button", { type: "button", id: "graph-reseed" }, "以此为起点重新扩线");
    again.addEventListener("click", () => {
      clue.value = node.id;
      search();
    });
    const buttons = [again];
    if (ctx.can("clue.create")) {
      const toClue = (source, ref, title) => async () => {
        try {
          const made = await post("/clues", { source, source_ref: ref, title });
          ctx.navigate(`/clues/${made.id}`);
        } catch (error) {
          ctx.fail(error);
        }
      };
      const make = h("button", { type: "button", id: "graph-make-clue" }, "生成线索");
      make.addEventListener("click", toClue("graph_node", node.id, `图谱线索：${node.label}`.slice(0, 128)));
      buttons.push(make);
      if (node.gang !== null && node.gang !== undefined) {
        const gang = h("button", { type: "button", id: "graph-make-gang-clue" }, "以团伙生成线索");
        gang.addEventListener("click", toClue("graph_gang", String(node.gang), `团伙 #${node.gang} 线索`));
        buttons.push(gang);
      }
    }
    const links = (adjacent.get(node.id) || []).sort((a, b) => b.edge.count - a.edge.count);
    replace(
      panel,
      h("h2", { id: "graph-panel-title" }, node.label),
      fieldList([
        ["类型", typeLabel(meta, node.type)],
        ["编号", h("code", null, node.id)],
        ["涉诈标记", node.flagged ? h("span", { class: "badge flagged" }, "已标记") : "未标记"],
        ["角色", node.role ? `${meta.graph_roles[node.role.key] || node.role.label}（${Math.round(node.role.score * 100)}%）${node.role.reason ? `：${node.role.reason}` : ""}` : "—"],
        ["团伙", node.gang === null || node.gang === undefined ? "—" : `#${node.gang}`],
        ...props,
      ]),
      cut ? h("p", { class: "truncation", id: "graph-panel-truncated" }, truncationText(cut)) : null,
      h("div", { class: "buttons" }, ...buttons),
      h("h3", null, `关联（${links.length}）`),
      h(
        "ul",
        { class: "neighbours" },
        links.slice(0, 50).map(({ id, edge }) => {
          const other = state.graph.nodes.get(id);
          const link = h("a", { href: "#", dataset: { id } }, other.label);
          link.addEventListener("click", (event) => {
            event.preventDefault();
            state.selected = id;
            draw();
          });
          return h("li", null, link, h("span", { class: "muted" }, ` ${edgeLabel(meta, edge.type)} ${formatCount(edge.count)} 次`));
        }),
      ),
    );
  }

  function drawNotices() {
    replace(
      notices,
      [...state.graph.truncated.values()].map((t) => {
        const more = h("button", { type: "button", class: "small" }, "显示更多");
        more.addEventListener("click", () => expandNode(t.id, { more: true }));
        return h("li", { dataset: { id: t.id } }, h("strong", null, t.label), " ", truncationText(t), " ", more);
      }),
    );
  }

  function draw() {
    const graph = state.graph;
    const adjacent = neighbours(graph);
    const box = state.view || bounds(graph);
    state.view = box;
    svg.setAttribute("viewBox", `${box.x} ${box.y} ${box.width} ${box.height}`);
    const labels = graph.nodes.size <= LABEL_LIMIT;
    const edges = s("g", { class: "gedges" });
    for (const edge of graph.edges.values()) {
      const a = graph.nodes.get(edge.source);
      const b = graph.nodes.get(edge.target);
      // Stop the line at the target's rim so the arrow head stays visible.
      const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
      const rim = (radius(adjacent.get(b.id).length) + 2) / length;
      edges.append(
        s(
          "line",
          { x1: a.x, y1: a.y, x2: b.x - (b.x - a.x) * rim, y2: b.y - (b.y - a.y) * rim, class: `gedge gedge-${edge.type}${state.path.has(`${edge.source}\u0000${edge.target}`) ? " on-path" : ""}`, "stroke-width": (1 + Math.log2(edge.count)).toFixed(2), "marker-end": "url(#graph-arrow)", dataset: { source: edge.source, target: edge.target } },
          s("title", null, edgeTitle(meta, edge)),
        ),
      );
    }
    const dots = s("g", { class: "gnodes" });
    for (const node of graph.nodes.values()) {
      const r = radius(adjacent.get(node.id).length);
      const cut = graph.truncated.get(node.id);
      const classes = ["gnode", `colour-${colourKey(node, mode.value)}`, node.flagged ? "flagged" : "", cut ? "truncated" : "", node.id === state.selected ? "selected" : "", state.path.has(node.id) ? "on-path" : ""];
      const group = s(
        "g",
        { class: classes.filter(Boolean).join(" "), dataset: { id: node.id, type: node.type }, transform: `translate(${node.x.toFixed(1)},${node.y.toFixed(1)})`, tabindex: 0 },
        cut ? s("circle", { r: r + 4, class: "trunc-ring" }) : null,
        s("circle", { r, class: "dot" }),
        s("title", null, [`${typeLabel(meta, node.type)}：${node.label}`, node.role ? `角色：${meta.graph_roles[node.role.key] || node.role.label}` : null, cut ? truncationText(cut) : null].filter(Boolean).join("\n")),
        labels || node.id === state.selected || node.hop === 0 ? s("text", { x: r + 3, y: 4, class: "glabel" }, node.label) : null,
        cut ? s("text", { x: -r - 3, y: -r - 2, class: "gmore", "text-anchor": "end" }, `+${cut.dropped}`) : null,
      );
      group.addEventListener("click", () => onNode(node.id));
      group.addEventListener("keydown", (event) => {
        if (event.key === "Enter") onNode(node.id);
      });
      dots.append(group);
    }
    replace(
      svg,
      s("defs", null, s("marker", { id: "graph-arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, markerUnits: "userSpaceOnUse", orient: "auto" }, s("path", { d: "M0,0L10,5L0,10z", class: "arrow" }))),
      edges,
      dots,
    );
    replace(
      legend,
      "颜色：",
      legendItems(meta, [...graph.nodes.values()], mode.value).map(([key, label]) => h("span", { class: "legend-item" }, h("span", { class: `swatch colour-${key}` }), label)),
    );
    const byType = new Map();
    for (const node of graph.nodes.values()) byType.set(node.type, (byType.get(node.type) || 0) + 1);
    stats.textContent = `${formatCount(graph.nodes.size)} 个节点 · ${formatCount(graph.edges.size)} 条关系 · ${[...byType].map(([t, n]) => `${typeLabel(meta, t)} ${n}`).join("，")}`;
    drawNotices();
    drawPanel(adjacent);
  }

  // Wheel zooms around the pointer, dragging the background pans.
  function toGraph(event) {
    const rect = svg.getBoundingClientRect();
    const v = state.view;
    const scale = Math.max(v.width / rect.width, v.height / rect.height);
    const offsetX = (rect.width * scale - v.width) / 2;
    const offsetY = (rect.height * scale - v.height) / 2;
    return { x: v.x - offsetX + (event.clientX - rect.left) * scale, y: v.y - offsetY + (event.clientY - rect.top) * scale, scale };
  }
  svg.addEventListener(
    "wheel",
    (event) => {
      if (!state.view) return;
      event.preventDefault();
      const at = toGraph(event);
      const factor = event.deltaY > 0 ? 1.15 : 1 / 1.15;
      const v = state.view;
      state.view = { x: at.x - (at.x - v.x) * factor, y: at.y - (at.y - v.y) * factor, width: v.width * factor, height: v.height * factor };
      svg.setAttribute("viewBox", `${state.view.x} ${state.view.y} ${state.view.width} ${state.view.height}`);
    },
    { passive: false },
  );
  let drag = null;
  svg.addEventListener("pointerdown", (event) => {
    if (!state.view || event.target.closest(".gnode")) return;
    drag = { x: event.clientX, y: event.clientY, view: { ...state.view }, scale: toGraph(event).scale };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", (event) => {
    if (!drag) return;
    state.view = { ...drag.view, x: drag.view.x - (event.clientX - drag.x) * drag.scale, y: drag.view.y - (event.clientY - drag.y) * drag.scale };
    svg.setAttribute("viewBox", `${state.view.x} ${state.view.y} ${state.view.width} ${state.view.height}`);
  });
  svg.addEventListener("pointerup", () => {
    drag = null;
  });

  mode.addEventListener("change", () => {
    ctx.setQuery({ ...Object.fromEntries(new URLSearchParams(location.search)), colour: mode.value === "type" ? null : mode.value });
    if (state.graph.nodes.size) draw();
  });
  const pathTo = h("input", { id: "graph-path-to", maxlength: 200, placeholder: "另一条线索" });
  const pathForm = h(
    "form",
    { id: "graph-path", class: "filters" },
    labelled("关联路径：从选中节点（未选中时从线索）到", pathTo),
    h("button", { type: "submit", id: "graph-path-submit" }, "查找最短路径"),
  );
  pathForm.addEventListener("submit", (event) => {
    event.preventDefault();
    findPath();
  });
  const fit = h("button", { type: "button", id: "graph-fit" }, "适应窗口");
  fit.addEventListener("click", () => {
    state.view = null;
    if (state.graph.nodes.size) draw();
  });
  const form = h(
    "form",
    { id: "graph-form", class: "filters" },
    labelled("线索", clue, h("span", null, "手机号、银行卡号、身份证号、姓名、案件编号、网址、", h("code", null, "person:编号"), "等")),
    labelled("扩线跳数", hops),
    labelled("每节点最多邻居", cap),
    labelled("开始日期", since),
    labelled("结束日期", until),
    h("button", { type: "submit", id: "graph-submit", class: "primary" }, "扩线"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  replace(
    main,
    h("div", { class: "page-head" }, h("h1", null, "研判扩线"), h("span", { class: "muted" }, "线索研判—深挖扩线—落地打击")),
    h(
      "section",
      { class: "card" },
      form,
      h(
        "fieldset",
        { id: "graph-types", class: "types" },
        h("legend", null, "关系类型"),
        types.map((box) => h("label", { class: "check" }, box, edgeLabel(meta, box.value))),
      ),
      pathForm,
    ),
    h(
      "div",
      { class: "graph-layout" },
      h("section", { class: "card graph-canvas" }, h("div", { class: "graph-tools" }, labelled("着色", mode), fit, legend), svg, stats, notices),
      panel,
    ),
  );
  if (clue.value.trim()) await search();
}
