// The 研判扩线 graph as the page keeps it: subgraphs from the API merged into one drawing,
// laid out by a small force simulation (Fruchterman–Reingold: springs along edges, every pair
// repels, a weak pull to the centre, steps that cool down). No library, no randomness:
// a node starts at a place derived from its id, so the same data gives the same picture.

export const MAX_NODES = 500;

/** An empty graph: nodes and truncation notices by id, edges by source/target/type. */
export function emptyGraph() {
  return { nodes: new Map(), edges: new Map(), truncated: new Map() };
}

/** A number in [0, 1) from a string (FNV-1a). */
export function unit(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) / 4294967296;
}

export function edgeKey(edge) {
  return `${edge.source}\u0000${edge.target}\u0000${edge.type}`;
}

/** Merge one API subgraph into ``graph``. New nodes start around ``anchor`` (the id of the
 * node that was expanded) or, without one, spread around the centre; nodes past
 * ``maxNodes`` are left out. With ``truncation``, the notices of the nodes the API expanded
 * (hop below the hops asked for) are replaced by the new answer; a path search expands
 * nothing, so it leaves them alone. Returns {added: ids, skipped: count}. */
export function mergeGraph(graph, data, { anchor = null, maxNodes = MAX_NODES, truncation = true } = {}) {
  const added = [];
  let skipped = 0;
  const origin = anchor === null ? null : graph.nodes.get(anchor);
  for (const node of data.nodes || []) {
    const old = graph.nodes.get(node.id);
    if (old) {
      const { hop: _hop, ...fresh } = node;
      Object.assign(old, fresh);
      continue;
    }
    if (graph.nodes.size >= maxNodes) {
      skipped += 1;
      continue;
    }
    const angle = 2 * Math.PI * unit(node.id);
    const radius = origin ? 20 + 40 * unit(`${node.id}#r`) : 40 + 260 * Math.sqrt(unit(`${node.id}#r`));
    graph.nodes.set(node.id, {
      ...node,
      x: (origin ? origin.x : 0) + radius * Math.cos(angle),
      y: (origin ? origin.y : 0) + radius * Math.sin(angle),
    });
    added.push(node.id);
  }
  for (const edge of data.edges || []) {
    if (graph.nodes.has(edge.source) && graph.nodes.has(edge.target)) graph.edges.set(edgeKey(edge), { ...edge });
  }
  if (!truncation) return { added, skipped };
  const hops = data.stats && Number.isInteger(data.stats.hops) ? data.stats.hops : 1;
  const cut = new Map((data.truncated || []).map((t) => [t.id, t]));
  for (const node of data.nodes || []) {
    if (!graph.nodes.has(node.id)) continue;
    if (cut.has(node.id)) graph.truncated.set(node.id, cut.get(node.id));
    else if (node.hop < hops) graph.truncated.delete(node.id);
  }
  return { added, skipped };
}

/** Each node's neighbours: id → [{id, edge}] (both directions). */
export function neighbours(graph) {
  const out = new Map([...graph.nodes.keys()].map((id) => [id, []]));
  for (const edge of graph.edges.values()) {
    if (edge.source === edge.target) continue;
    out.get(edge.source).push({ id: edge.target, edge });
    out.get(edge.target).push({ id: edge.source, edge });
  }
  return out;
}

/** Move the nodes (in place) towards a force-directed layout with edges about ``length``
 * long. ``heat`` scales the first step (1: a fresh layout; lower: settle a layout after new
 * nodes were merged in); ids in ``fixed`` stay where they are. O(n²) per step, fine for
 * the {@link MAX_NODES} the page allows. */
export function layout(graph, { iterations = 300, length = 60, heat = 1, fixed = new Set() } = {}) {
  const nodes = [...graph.nodes.values()];
  const n = nodes.length;
  if (!n) return;
  const index = new Map(nodes.map((node, i) => [node.id, i]));
  const links = [];
  for (const edge of graph.edges.values()) {
    const a = index.get(edge.source);
    const b = index.get(edge.target);
    if (a !== undefined && b !== undefined && a !== b) links.push([a, b]);
  }
  const xs = Float64Array.from(nodes, (node) => node.x);
  const ys = Float64Array.from(nodes, (node) => node.y);
  const fx = new Float64Array(n);
  const fy = new Float64Array(n);
  const still = Uint8Array.from(nodes, (node) => (fixed.has(node.id) ? 1 : 0));
  const k2 = length * length;
  const gravity = 0.01;
  for (let step = 0; step < iterations; step += 1) {
    fx.fill(0);
    fy.fill(0);
    for (let i = 0; i < n; i += 1) {
      for (let j = i + 1; j < n; j += 1) {
        let dx = xs[i] - xs[j];
        let dy = ys[i] - ys[j];
        let d2 = dx * dx + dy * dy;
        if (d2 < 1e-6) {
          // Two nodes on one spot: push them apart along a direction fixed by their indices.
          dx = Math.cos(i + j * 7);
          dy = Math.sin(i + j * 7);
          d2 = 1;
        }
        const f = k2 / d2;
        fx[i] += dx * f;
        fy[i] += dy * f;
        fx[j] -= dx * f;
        fy[j] -= dy * f;
      }
    }
    for (const [a, b] of links) {
      const dx = xs[a] - xs[b];
      const dy = ys[a] - ys[b];
      const f = Math.sqrt(dx * dx + dy * dy) / length;
      fx[a] -= dx * f;
      fy[a] -= dy * f;
      fx[b] += dx * f;
      fy[b] += dy * f;
    }
    const limit = 2 * length * heat * (1 - step / iterations) + 0.5;
    for (let i = 0; i < n; i += 1) {
      if (still[i]) continue;
      fx[i] -= xs[i] * gravity * length;
      fy[i] -= ys[i] * gravity * length;
      const size = Math.sqrt(fx[i] * fx[i] + fy[i] * fy[i]);
      if (size > 0) {
        const move = Math.min(size, limit) / size;
        xs[i] += fx[i] * move;
        ys[i] += fy[i] * move;
      }
    }
  }
  nodes.forEach((node, i) => {
    node.x = xs[i];
    node.y = ys[i];
  });
}

/** The box around all nodes, ``pad`` wider on every side and at least ``minWidth`` ×
 * ``minHeight`` (so a few nodes are not blown up): {x, y, width, height}. */
export function bounds(graph, { pad = 40, minWidth = 640, minHeight = 420 } = {}) {
  const nodes = [...graph.nodes.values()];
  const xs = nodes.length ? nodes.map((node) => node.x) : [0];
  const ys = nodes.length ? nodes.map((node) => node.y) : [0];
  const box = (low, high, least) => {
    const size = Math.max(high - low + 2 * pad, least);
    return [(low + high) / 2 - size / 2, size];
  };
  const [x, width] = box(Math.min(...xs), Math.max(...xs), minWidth);
  const [y, height] = box(Math.min(...ys), Math.max(...ys), minHeight);
  return { x, y, width, height };
}

/** The colour class key of a node when colouring by ``mode`` (type, role or gang). */
export function colourKey(node, mode) {
  if (mode === "role") return node.role ? `role-${node.role.key}` : "none";
  if (mode === "gang") return node.gang === null || node.gang === undefined ? "none" : `gang-${Number(node.gang) % 10}`;
  return `type-${node.type}`;
}
