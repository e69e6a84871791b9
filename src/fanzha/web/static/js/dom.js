// DOM helpers: build elements without innerHTML (so API text can never become markup),
// draw SVG, and show the one error / notice banner.

const SVG_NS = "http://www.w3.org/2000/svg";

function setAttributes(el, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.setAttribute("class", value);
    else if (key === "style") Object.assign(el.style, value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "value" || key === "checked" || key === "selected") el[key] = value;
    else el.setAttribute(key, value === true ? "" : String(value));
  }
}

/** Append children (nodes, strings, numbers, nested arrays; null/false are skipped). */
export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** An HTML element: h("a", {href: "/queue"}, "预警队列"). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttributes(el, attrs);
  return append(el, ...children);
}

/** An SVG element, same calling convention as h(). */
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setAttributes(el, attrs);
  return append(el, ...children);
}

/** Replace all children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, ...children);
}

function banner(kind, message, detail) {
  const el = document.getElementById("banner");
  el.className = `banner banner-${kind}`;
  el.removeAttribute("title");
  delete el.dataset.field;
  const close = h("button", { type: "button", class: "banner-close", "aria-label": "关闭" }, "×");
  close.addEventListener("click", clearBanner);
  replace(el, h("span", { class: "banner-text" }, message), detail ? h("span", { class: "banner-detail" }, detail) : null, close);
  el.hidden = false;
}

// Chinese headlines by error code, for API messages that carry no Chinese text.
const CODE_TEXT = {
  not_authenticated: "未登录或登录已失效",
  permission_denied: "无权执行此操作",
  invalid_input: "输入有误",
  not_found: "未找到",
  conflict: "数据冲突",
  ledger_conflict: "数据已被他人修改",
  illegal_transition: "不允许的状态变更",
  too_large: "提交内容过大",
  internal: "服务器内部错误",
  network: "网络错误",
};
const CJK = /[\u3400-\u9fff]/;

// An English gloss after the last Chinese character: ASCII only, with at least one letter.
const ENGLISH_TAIL = /^([\s\S]*[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s*[\x20-\x7e]*[A-Za-z][\x20-\x7e]*$/;

/** The Chinese text of an error: a Chinese message loses its trailing English gloss,
 * an English-only one is replaced by a Chinese headline of its code. */
export function errorText(error) {
  if (typeof error === "string") return error;
  const message = String(error.message || "");
  if (CJK.test(message)) return message.replace(ENGLISH_TAIL, "$1");
  // An English-only message is for developers: the officer reads its code's Chinese headline.
  return CODE_TEXT[error.code] || "操作失败";
}

/** Show an error in the banner; ``error`` is an ApiError, an Error or a string. A page that
 * knows better gives its own Chinese ``headline``; the API's message then follows as detail. */
export function showError(error, headline) {
  if (headline) banner("error", headline, error && error.message ? errorText(error) : null);
  else banner("error", errorText(error));
  // The API's field code is for developers: kept on the banner, never shown in English.
  if (error && error.field) document.getElementById("banner").dataset.field = error.field;
}

/** Show a success / information message in the banner. */
export function showNotice(message, detail) {
  banner("notice", message, detail);
}

export function clearBanner() {
  const el = document.getElementById("banner");
  el.hidden = true;
  el.replaceChildren();
}

/** A labelled value list: rows of [label, value]; values may be nodes. */
export function fieldList(rows) {
  return h(
    "dl",
    { class: "fields" },
    rows.map(([label, value]) => [h("dt", null, label), h("dd", null, value ?? "—")]),
  );
}

/** A table from column specs [{label, cell(row), class?}] and rows. */
export function table(columns, rows, { empty = "暂无数据", rowAttrs } = {}) {
  const head = h("thead", null, h("tr", null, columns.map((c) => c.th || h("th", { class: c.class }, c.label))));
  const body = h("tbody");
  if (!rows.length) {
    body.append(h("tr", null, h("td", { colspan: columns.length, class: "empty" }, empty)));
  }
  for (const row of rows) {
    body.append(h("tr", rowAttrs ? rowAttrs(row) : null, columns.map((c) => h("td", { class: c.class }, c.cell(row)))));
  }
  return h("div", { class: "table-wrap" }, h("table", { class: "data" }, head, body));
}
