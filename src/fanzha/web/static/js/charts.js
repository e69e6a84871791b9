// Charts as inline SVG, drawn here (no chart library): vertical and horizontal bars.
// Colours come from CSS classes (bar-<key>), so the style sheet decides them.

import { s } from "./dom.js";

const STEPS = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** A round step of at least ``value``: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^n. */
export function niceStep(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return STEPS.map((m) => m * power).find((m) => m >= value * (1 - 1e-9));
}

/** The axis top for ``ticks`` equal steps above ``max``; whole steps for counts. */
export function axisTop(max, ticks, whole) {
  const step = niceStep(max / ticks);
  return ticks * (whole ? Math.max(1, Math.ceil(step)) : step);
}

function frame(width, height, title, id) {
  return s(
    "svg",
    { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": title, id, preserveAspectRatio: "xMidYMid meet" },
    s("title", null, title),
  );
}

/** Vertical bars: items [{key, label, value}], ``format`` turns a value into its label. */
export function barChart(items, { title, id, format = String, width = 680, height = 280 } = {}) {
  const margin = { top: 28, right: 12, bottom: 44, left: 44 };
  const inner = { w: width - margin.left - margin.right, h: height - margin.top - margin.bottom };
  const whole = items.every((i) => Number.isInteger(i.value));
  const top = axisTop(Math.max(0, ...items.map((i) => i.value)), 4, whole);
  const svg = frame(width, height, title, id);
  const y = (v) => margin.top + inner.h - (v / top) * inner.h;
  for (let k = 0; k <= 4; k += 1) {
    const v = (top * k) / 4;
    svg.append(
      s("line", { x1: margin.left, x2: width - margin.right, y1: y(v), y2: y(v), class: "grid" }),
      s("text", { x: margin.left - 6, y: y(v) + 4, class: "axis", "text-anchor": "end" }, Number.isInteger(v) ? v : v.toFixed(1)),
    );
  }
  const step = inner.w / Math.max(1, items.length);
  const barWidth = Math.min(56, step * 0.64);
  items.forEach((item, i) => {
    const cx = margin.left + step * i + step / 2;
    const h = Math.max(0, y(0) - y(item.value));
    svg.append(
      s(
        "g",
        { class: "bar-group", dataset: { key: item.key, value: item.value } },
        s("rect", { x: cx - barWidth / 2, y: y(item.value), width: barWidth, height: h, rx: 3, class: `bar bar-${item.key}` }, s("title", null, `${item.label}：${format(item.value)}`)),
        s("text", { x: cx, y: y(item.value) - 6, class: "value", "text-anchor": "middle" }, format(item.value)),
        s("text", { x: cx, y: height - margin.bottom + 18, class: "label", "text-anchor": "middle" }, item.label),
      ),
    );
  });
  svg.append(s("line", { x1: margin.left, x2: width - margin.right, y1: y(0), y2: y(0), class: "axis-line" }));
  return svg;
}

/** Horizontal bars, one row per item: good for long labels such as district names. */
export function hBarChart(items, { title, id, format = String, width = 680, row = 28 } = {}) {
  const margin = { top: 8, right: 120, bottom: 8, left: 96 };
  const height = margin.top + margin.bottom + Math.max(1, items.length) * row;
  const top = axisTop(Math.max(0, ...items.map((i) => i.value)), 1, false);
  const inner = width - margin.left - margin.right;
  const svg = frame(width, height, title, id);
  items.forEach((item, i) => {
    const y = margin.top + i * row;
    const w = (item.value / top) * inner;
    svg.append(
      s(
        "g",
        { class: "bar-group", dataset: { key: item.key, value: item.value } },
        s("text", { x: margin.left - 8, y: y + row / 2 + 4, class: "label", "text-anchor": "end" }, item.label),
        s("rect", { x: margin.left, y: y + 4, width: Math.max(0, w), height: row - 8, rx: 3, class: `bar bar-${item.key}` }, s("title", null, `${item.label}：${format(item.value)}`)),
        s("text", { x: margin.left + w + 6, y: y + row / 2 + 4, class: "value" }, format(item.value)),
      ),
    );
  });
  return svg;
}
