// 识诈检测: paste a text, a number or a link; the verdict shows the rule spans highlighted
// in the original text, the fraud type and what to do. Open to citizens without a login.

import { post } from "../api.js";
import { h, replace, table } from "../dom.js";
import { levelBadge } from "../widgets.js";

const KINDS = {
  text: { label: "短信/聊天文本", path: "/screen/text", key: "text", example: "【兼职】在家刷单日结，做任务返佣金300元，先垫付后返利，加薇信 abc123 立即开始" },
  phone: { label: "电话号码", path: "/screen/phone", key: "number", example: "+8617012345678" },
  url: { label: "网址链接", path: "/screen/url", key: "url", example: "icbc-verify.top/login" },
};

/** Split ``text`` into pieces by the rule spans (code-point offsets), marking covered pieces. */
export function highlight(text, rules) {
  const chars = Array.from(text);
  const spans = (rules || [])
    .filter((r) => Number.isInteger(r.start) && Number.isInteger(r.end) && r.end > r.start)
    .map((r) => ({ ...r, start: Math.max(0, r.start), end: Math.min(chars.length, r.end) }))
    .filter((r) => r.end > r.start);
  const cuts = new Set([0, chars.length]);
  for (const r of spans) cuts.add(r.start).add(r.end);
  const points = [...cuts].sort((a, b) => a - b);
  const pieces = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [start, end] = [points[i], points[i + 1]];
    const piece = chars.slice(start, end).join("");
    const covering = spans.filter((r) => r.start <= start && r.end >= end);
    if (!covering.length) {
      pieces.push(piece);
      continue;
    }
    const title = covering.map((r) => `${r.name || r.rule_id}：${r.explanation}`).join("\n");
    const cls = covering.length > 1 ? "hit hit-multi" : "hit";
    pieces.push(h("mark", { class: cls, title, dataset: { rules: covering.map((r) => r.rule_id).join(" ") } }, piece));
  }
  return pieces;
}

function verdictCard(verdict, kind, value) {
  const type = verdict.fraud_type || {};
  const hits = verdict.rules || [];
  return h(
    "section",
    { id: "verdict", class: `card verdict verdict-${verdict.level}` },
    h(
      "div",
      { class: "verdict-head" },
      levelBadge(verdict.level),
      h("span", { class: "verdict-risk" }, `风险 ${Math.round(verdict.risk * 100)}%`),
      h("span", { id: "verdict-type", class: "verdict-type" }, type.category === "normal" ? "未识别出诈骗类型" : `疑似：${type.name}`),
    ),
    kind === "text"
      ? [h("h2", null, "命中内容"), h("p", { id: "verdict-text", class: "verdict-text" }, highlight(value, hits))]
      : h("p", { class: "verdict-value mono" }, value),
    hits.length
      ? [
          h("h2", null, `命中规则（${hits.length}）`),
          table(
            [
              { label: "规则", cell: (r) => h("span", { class: "rule-name", dataset: { rule: r.rule_id } }, r.name || r.rule_id) },
              { label: "命中文字", cell: (r) => (r.matched ? h("span", { class: "mono" }, r.matched) : "—") },
              { label: "说明", cell: (r) => r.explanation },
              { label: "权重", class: "num", cell: (r) => (r.weight === undefined ? "—" : Number(r.weight).toFixed(2)) },
            ],
            hits,
          ),
        ]
      : null,
    h("h2", null, "防骗建议"),
    h("p", { id: "verdict-advice", class: "advice" }, verdict.advice),
    verdict.reasons && verdict.reasons.length
      ? [h("h2", null, "判定依据"), h("ul", { class: "reasons" }, verdict.reasons.map((r) => h("li", null, r)))]
      : null,
  );
}

export async function render(main, ctx) {
  let kind = KINDS[ctx.query.get("kind")] ? ctx.query.get("kind") : "text";
  const result = h("div", { id: "screen-result" });
  const textarea = h("textarea", { id: "screen-input", rows: 6, maxlength: 100000, placeholder: "粘贴收到的短信、聊天记录或通话内容" });
  const line = h("input", { id: "screen-line", maxlength: 4000 });
  const inputBox = h("div", { class: "screen-input" });
  const tabs = h("div", { class: "tabs", role: "tablist" });
  const submit = h("button", { type: "submit", id: "screen-submit", class: "primary" }, "开始检测");
  const example = h("button", { type: "button", id: "screen-example" }, "填入示例");

  const input = () => (kind === "text" ? textarea : line);
  const drawTabs = () => {
    replace(
      tabs,
      Object.entries(KINDS).map(([key, k]) => {
        const tab = h("button", { type: "button", role: "tab", class: "tab", "aria-selected": String(key === kind), dataset: { kind: key } }, k.label);
        tab.addEventListener("click", () => {
          kind = key;
          ctx.setQuery({ kind: key === "text" ? null : key });
          line.value = "";
          line.placeholder = key === "phone" ? "如：+8617012345678 或 95588" : "如：example.com/login";
          drawTabs();
          replace(result);
        });
        return tab;
      }),
    );
    replace(inputBox, input());
  };
  example.addEventListener("click", () => {
    input().value = KINDS[kind].example;
  });

  const form = h("form", { id: "screen-form", class: "card form" }, tabs, inputBox, h("div", { class: "buttons" }, submit, example));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = input().value.trim();
    if (!value) {
      input().focus();
      return;
    }
    submit.disabled = true;
    try {
      const verdict = await post(KINDS[kind].path, { [KINDS[kind].key]: value });
      if (ctx.alive()) replace(result, verdictCard(verdict, kind, value));
    } catch (error) {
      ctx.fail(error);
    } finally {
      submit.disabled = false;
    }
  });
  drawTabs();
  replace(
    main,
    h("div", { class: "page-head" }, h("h1", null, "识诈检测"), h("span", { class: "muted" }, "粘贴可疑短信、号码或链接，查看是否为诈骗及应对建议")),
    form,
    result,
  );
}
