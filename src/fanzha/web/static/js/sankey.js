// 资金流向图: a fund trace as a layered, Sankey-like SVG diagram. Columns are trace depths
// (the victims' accounts on the left), node heights and ribbon widths are proportional to the
// money, nodes are coloured by status through CSS classes (node-<status>).
// sankeyLayout() is a pure function of the trace, so the tests can check its geometry.

import { s } from "./dom.js";

const GEOMETRY = { width: 1100, minHeight: 320, row: 30, top: 30, bottom: 12, left: 8, right: 150, node: 14, gap: 14, minNode: 3 };

function amountOf(links) {
  return links.reduce((sum, link) => sum + link.amount, 0);
}

/** Place the trace's accounts and money moves: {width, height, scale, columns, nodes, links}.
 * A node's value is the most victim money it received or sent; ``scale`` is pixels per 分,
 * the same for every node and ribbon, so the tallest column just fits. */
export function sankeyLayout(trace, options = {}) {
  const g = { ...GEOMETRY, ...options };
  const byAccount = new Map();
  for (const node of trace.nodes) {
    byAccount.set(node.account, { account: node.account, depth: node.depth, status: node.status, data: node, incoming: [], outgoing: [] });
  }
  const links = [];
  for (const edge of trace.edges) {
    const source = byAccount.get(edge.src);
    const target = byAccount.get(edge.dst);
    if (!source || !target) continue;
    const link = { source, target, amount: edge.amount_fen, back: target.depth <= source.depth, data: edge };
    source.outgoing.push(link);
    target.incoming.push(link);
    links.push(link);
  }
  const nodes = [...byAccount.values()];
  for (const node of nodes) {
    const d = node.data;
    node.value = Math.max(d.received_fen, d.sent_fen, amountOf(node.incoming), amountOf(node.outgoing), 1);
  }
  const depth = Math.max(0, ...nodes.map((n) => n.depth));
  const columns = Array.from({ length: depth + 1 }, () => []);
  for (const node of nodes) columns[node.depth].push(node);
  const tallest = Math.max(1, ...columns.map((c) => c.length));
  const plot = Math.max(g.minHeight, tallest * g.row);
  const scale = Math.min(...columns.filter((c) => c.length).map((c) => (plot - g.gap * (c.length - 1)) / c.reduce((sum, n) => sum + n.value, 0)));
  const step = depth ? (g.width - g.left - g.right - g.node) / depth : 0;
  let bottom = 0;
  columns.forEach((column, d) => {
    // Order a column by where its money comes from (weighted mean height of its sources).
    const centre = (node) => {
      const inbound = node.incoming.filter((l) => !l.back);
      const weight = amountOf(inbound);
      return weight ? inbound.reduce((sum, l) => sum + l.amount * (l.source.y + l.source.h / 2), 0) / weight : Number.POSITIVE_INFINITY;
    };
    const keyed = column.map((node) => ({ node, key: d ? centre(node) : -node.value }));
    keyed.sort((a, b) => a.key - b.key || b.node.value - a.node.value || (a.node.account < b.node.account ? -1 : 1));
    for (const [i, { node }] of keyed.entries()) {
      node.h = Math.max(g.minNode, node.value * scale);
      node.x = g.left + d * step;
      column[i] = node;
    }
    const height = column.reduce((sum, n) => sum + n.h, 0) + g.gap * (column.length - 1);
    let y = g.top + Math.max(0, (plot - height) / 2);
    for (const node of column) {
      node.y = y;
      y += node.h + g.gap;
    }
    bottom = Math.max(bottom, y - g.gap);
  });
  // Ribbons leave a node's right side in the order of their targets and enter the left side
  // in the order of their sources, stacked from the top.
  const mid = (node) => node.y + node.h / 2;
  for (const link of links) link.width = Math.max(1, link.amount * scale);
  for (const node of nodes) {
    let offset = 0;
    for (const link of [...node.outgoing].sort((a, b) => mid(a.target) - mid(b.target))) {
      link.sy = node.y + offset + link.width / 2;
      offset += link.width;
    }
    offset = 0;
    for (const link of [...node.incoming].sort((a, b) => mid(a.source) - mid(b.source))) {
      link.ty = node.y + offset + link.width / 2;
      offset += link.width;
    }
  }
  for (const link of links) {
    link.x0 = link.source.x + g.node;
    link.x1 = link.target.x;
  }
  return { width: g.width, height: bottom + g.bottom, scale, step, node: g.node, top: g.top, columns, nodes, links };
}

/** The SVG path of a ribbon: an S curve forwards, a loop out to the right and back for
 * money that returns to an earlier (or the same) layer. */
export function ribbonPath(link) {
  const { x0, x1, sy, ty } = link;
  if (!link.back) {
    const xm = (x0 + x1) / 2;
    return `M${x0},${sy}C${xm},${sy} ${xm},${ty} ${x1},${ty}`;
  }
  const reach = Math.max(40, (x0 - x1) / 2);
  return `M${x0},${sy}C${x0 + reach},${sy} ${x1 - reach},${ty} ${x1},${ty}`;
}

/** Draw a layout; ``nodeTitle(node)`` / ``linkTitle(link)`` give the tooltips,
 * ``nodeLabel(node)`` the text beside a node, ``columnLabel(depth)`` the column heads. */
export function drawSankey(layout, { title, id, nodeTitle, linkTitle, nodeLabel, columnLabel, onNode }) {
  const svg = s(
    "svg",
    { viewBox: `0 0 ${layout.width} ${layout.height}`, class: "chart sankey", role: "img", "aria-label": title, id, preserveAspectRatio: "xMinYMin meet" },
    s("title", null, title),
  );
  layout.columns.forEach((column, d) => {
    if (column.length) svg.append(s("text", { x: column[0].x, y: layout.top - 12, class: "column-label" }, columnLabel(d)));
  });
  const ribbons = s("g", { class: "links" });
  for (const link of [...layout.links].sort((a, b) => b.width - a.width)) {
    ribbons.append(
      s(
        "path",
        {
          d: ribbonPath(link),
          class: `link link-from-${link.source.status}${link.back ? " link-back" : ""}`,
          "stroke-width": link.width.toFixed(2),
          dataset: { src: link.source.account, dst: link.target.account, amount: link.amount },
        },
        s("title", null, linkTitle(link)),
      ),
    );
  }
  svg.append(ribbons);
  for (const column of layout.columns) {
    column.forEach((node, i) => {
      const next = column[i + 1];
      const room = next ? next.y - node.y : Number.POSITIVE_INFINITY;
      const group = s(
        "g",
        { class: `node node-${node.status}`, dataset: { account: node.account, status: node.status }, tabindex: onNode ? 0 : null },
        s("rect", { x: node.x, y: node.y, width: layout.node, height: node.h, rx: 2 }, s("title", null, nodeTitle(node))),
        room >= 13 ? s("text", { x: node.x + layout.node + 4, y: node.y + Math.min(node.h / 2, 7) + 4, class: "node-label" }, nodeLabel(node)) : null,
      );
      if (onNode) group.addEventListener("click", () => onNode(node));
      svg.append(group);
    });
  }
  return svg;
}
