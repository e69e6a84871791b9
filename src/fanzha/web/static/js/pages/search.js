// 综合查询: the search box in the header and the results page (案件, 人员, 号码, 账户, 即时通讯账号, 网址).

import { PURPOSE, get } from "../api.js";
import { h, replace } from "../dom.js";

export const SEARCH_MAX = 200;
const PLACEHOLDER = "案件编号 / 身份证号 / 姓名 / 电话 / 银行卡号 / 网址";

/** The header's search box: opens /search?q=… on submit. */
export function searchBox(form, navigate, current) {
  const input = h("input", {
    id: "search-q",
    type: "search",
    name: "q",
    value: current || "",
    maxlength: SEARCH_MAX,
    placeholder: PLACEHOLDER,
    "aria-label": "综合查询",
    autocomplete: "off",
  });
  const button = h("button", { type: "submit", id: "search-go", class: "ghost" }, "查询");
  form.onsubmit = (event) => {
    event.preventDefault();
    const q = input.value.trim();
    if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
  };
  replace(form, input, button);
  form.hidden = false;
}

function hitRow(hit) {
  const title = hit.link
    ? h("a", { href: hit.link, class: "search-hit-link" }, hit.title)
    : h("span", { class: "search-hit-title" }, hit.title);
  return h(
    "li",
    { class: `search-hit${hit.flagged ? " flagged" : ""}`, dataset: { kind: hit.kind, id: hit.id } },
    title,
    h("span", { class: "search-hit-detail muted" }, hit.detail),
    hit.district ? h("span", { class: "badge" }, hit.district) : null,
    hit.link ? null : h("span", { class: "hint" }, "（无详情页）"),
  );
}

function group(data) {
  return h(
    "section",
    { class: "card search-group", dataset: { kind: data.kind } },
    h("h2", null, `${data.label}（${data.hits.length}${data.more ? "+" : ""}）`),
    h("ul", { class: "search-hits" }, data.hits.map(hitRow)),
    data.more ? h("p", { class: "hint" }, "结果较多，只列出前若干条，请输入更完整的线索") : null,
  );
}

export async function render(main, ctx) {
  const q = (ctx.query.get("q") || "").trim().slice(0, SEARCH_MAX);
  const results = h("div", { id: "search-results" });
  replace(
    main,
    h("div", { class: "page-head" }, h("h1", null, "综合查询"), h("span", { class: "muted" }, q ? `“${q}”` : "")),
    results,
  );
  if (!q) {
    replace(results, h("p", { class: "muted", id: "search-message" }, `请在页面顶部的查询框输入${PLACEHOLDER.replaceAll(" / ", "、")}`));
    return;
  }
  let data;
  try {
    data = await get("/search", { q, reason: PURPOSE.search });
  } catch (error) {
    ctx.fail(error);
    return;
  }
  if (!ctx.alive()) return;
  replace(results, h("p", { id: "search-message", class: data.total ? "muted" : "empty" }, data.message), data.groups.map(group));
}
