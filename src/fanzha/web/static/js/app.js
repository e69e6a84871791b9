// The single-page app: who is logged in, the header, a History-API router, the SLA ticker.

import { ApiError, get, post } from "./api.js";
import { clearBanner, h, replace, showError } from "./dom.js";
import * as admin from "./pages/admin.js";
import * as cases from "./pages/cases.js";
import * as funds from "./pages/funds.js";
import * as graph from "./pages/graph.js";
import * as kpi from "./pages/kpi.js";
import * as login from "./pages/login.js";
import * as outreach from "./pages/outreach.js";
import * as queue from "./pages/queue.js";
import * as reports from "./pages/reports.js";
import * as screen from "./pages/screen.js";
import * as search from "./pages/search.js";
import * as stats from "./pages/stats.js";
import * as strike from "./pages/strike.js";
import * as targets from "./pages/targets.js";
import * as task from "./pages/task.js";
import { tickAll } from "./widgets.js";

const ROUTES = [
  { pattern: /^\/login$/, page: login.render, title: "登录", open: true },
  { pattern: /^\/queue$/, page: queue.render, title: "预警队列", action: "task.list" },
  { pattern: /^\/tasks\/(\d+)$/, page: task.render, title: "预警任务", action: "task.read" },
  { pattern: /^\/screen$/, page: screen.render, title: "识诈检测", action: "screen", open: true },
  { pattern: /^\/cases$/, page: cases.renderList, title: "案件查询", action: "case.list" },
  { pattern: /^\/cases\/(\d+)$/, page: cases.renderDetail, title: "案件详情", action: "case.read" },
  { pattern: /^\/cases\/(\d+)\/funds$/, page: funds.render, title: "资金追踪", action: "funds.trace" },
  { pattern: /^\/graph$/, page: graph.render, title: "研判扩线", action: "graph.read" },
  { pattern: /^\/kpi$/, page: kpi.render, title: "工作统计", action: "kpi.read" },
  { pattern: /^\/stats$/, page: stats.render, title: "战果统计", action: "stats.read" },
  { pattern: /^\/search$/, page: search.render, title: "综合查询", action: "search" },
  { pattern: /^\/reports$/, page: reports.render, title: "举报审核", action: "report.review" },
  { pattern: /^\/clues$/, page: strike.renderClues, title: "线索", action: "clue.list" },
  { pattern: /^\/clues\/(\d+)$/, page: strike.renderClue, title: "线索详情", action: "clue.read" },
  { pattern: /^\/operations$/, page: strike.renderOperations, title: "专项行动", action: "operation.list" },
  { pattern: /^\/operations\/(\d+)$/, page: strike.renderOperation, title: "专项行动", action: "operation.read" },
  { pattern: /^\/dens$/, page: strike.renderDens, title: "窝点与打击", action: "den.list" },
  { pattern: /^\/suspects$/, page: targets.renderSuspects, title: "犯罪嫌疑人", action: "suspect.read" },
  { pattern: /^\/fugitives$/, page: targets.renderFugitives, title: "在逃人员", action: "fugitive.read" },
  { pattern: /^\/key-persons$/, page: targets.renderKeyPersons, title: "重点人员", action: "keyarea.read" },
  { pattern: /^\/rectifications$/, page: targets.renderRectifications, title: "行业整改", action: "rectification.read" },
  { pattern: /^\/outreach\/campaigns$/, page: outreach.renderCampaigns, title: "宣传活动", action: "outreach.read" },
  { pattern: /^\/outreach\/audiences$/, page: outreach.renderAudiences, title: "宣传受众", action: "outreach.read" },
  { pattern: /^\/outreach\/suggestions$/, page: outreach.renderSuggestions, title: "宣传研判建议", action: "outreach.read" },
  { pattern: /^\/outreach\/templates$/, page: outreach.renderTemplates, title: "提醒模板", action: "outreach.read" },
  { pattern: /^\/outreach\/deliveries$/, page: outreach.renderDeliveries, title: "发送记录", action: "outreach.read" },
  { pattern: /^\/outreach\/events$/, page: outreach.renderEvents, title: "线下宣传", action: "outreach.read" },
  { pattern: /^\/admin\/users$/, page: admin.renderUsers, title: "用户管理", action: "user.manage" },
  { pattern: /^\/admin\/sessions$/, page: admin.renderSessions, title: "登录会话", action: "user.manage" },
  { pattern: /^\/admin\/audit$/, page: admin.renderAudit, title: "审计日志", action: "audit.read" },
];
const NAV = [
  { path: "/queue", label: "预警队列", action: "task.list", match: /^\/(queue|tasks)/ },
  { path: "/screen", label: "识诈检测", action: "screen", match: /^\/screen/ },
  { path: "/cases", label: "案件查询", action: "case.list", match: /^\/cases/ },
  { path: "/graph", label: "研判扩线", action: "graph.read", match: /^\/graph/ },
  { path: "/kpi", label: "工作统计", action: "kpi.read", match: /^\/kpi/ },
  { path: "/stats", label: "战果统计", action: "stats.read", match: /^\/stats/ },
  { path: "/reports", label: "举报审核", action: "report.review", match: /^\/reports/ },
  { path: "/clues", label: "线索", action: "clue.list", match: /^\/clues/ },
  { path: "/operations", label: "专项行动", action: "operation.list", match: /^\/operations/ },
  { path: "/dens", label: "窝点/打击", action: "den.list", match: /^\/dens/ },
  { path: "/suspects", label: "嫌疑人", action: "suspect.read", match: /^\/suspects/ },
  { path: "/fugitives", label: "在逃人员", action: "fugitive.read", match: /^\/fugitives/ },
  { path: "/key-persons", label: "重点人员", action: "keyarea.read", match: /^\/key-persons/ },
  { path: "/rectifications", label: "行业整改", action: "rectification.read", match: /^\/rectifications/ },
  { path: "/outreach/campaigns", label: "宣传防范", action: "outreach.read", match: /^\/outreach/ },
  { path: "/admin/users", label: "用户管理", action: "user.manage", match: /^\/admin\/(users|sessions)/ },
  { path: "/admin/audit", label: "审计日志", action: "audit.read", match: /^\/admin\/audit/ },
];
const state = { user: null, meta: null, cleanup: null, seq: 0 };

function role() {
  return state.user ? state.user.role : "anonymous";
}

/** Whether the logged-in user (or an anonymous citizen) may perform ``action``. */
function can(action) {
  return (state.meta.permissions[action] || []).includes(role());
}

function home() {
  const first = NAV.find((item) => can(item.action) && (state.user || item.action === "screen"));
  return state.user ? (first ? first.path : "/screen") : "/login";
}

/** Only same-site paths may be a "next" page after login. */
function safePath(path) {
  return typeof path === "string" && path.startsWith("/") && !path.startsWith("//") ? path : null;
}

function navigate(path, { replace: replaceEntry = false } = {}) {
  history[replaceEntry ? "replaceState" : "pushState"](null, "", path);
  render();
}

/** Rewrite the query string of the current page without rendering it again. */
function setQuery(values) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) {
    if (value !== null && value !== undefined && value !== "") params.set(key, value);
  }
  const search = params.toString();
  history.replaceState(null, "", `${location.pathname}${search ? `?${search}` : ""}`);
}

function toLogin(message) {
  state.user = null;
  const next = encodeURIComponent(`${location.pathname}${location.search}`);
  navigate(`/login?next=${next}`, { replace: true });
  if (message) showError(message);
}

/** Show an API failure; a lapsed login sends the officer back to the login page. */
function fail(error) {
  if (error instanceof ApiError && error.status === 401 && location.pathname !== "/login") {
    toLogin("登录已过期或尚未登录，请重新登录");
    return;
  }
  showError(error);
}

function onLogin(user, next) {
  state.user = user;
  navigate(safePath(next) || home(), { replace: true });
}

async function logout() {
  try {
    await post("/auth/logout");
  } catch (error) {
    showError(error);
  }
  state.user = null;
  navigate("/login");
}

function renderHeader(path) {
  const nav = document.getElementById("nav");
  replace(
    nav,
    NAV.filter((item) => can(item.action) && (state.user || item.action === "screen")).map((item) =>
      h("a", { href: item.path, class: "nav-link", "aria-current": item.match.test(path) ? "page" : null }, item.label),
    ),
  );
  const box = document.getElementById("search-box");
  if (state.user && can("search")) search.searchBox(box, navigate, path === "/search" ? new URLSearchParams(location.search).get("q") : "");
  else replace(box).hidden = true;
  const who = document.getElementById("who");
  if (!state.user) {
    replace(who, path === "/login" ? null : h("a", { href: "/login", class: "nav-link" }, "民警登录"));
    return;
  }
  const user = state.user;
  const button = h("button", { type: "button", id: "logout", class: "ghost" }, "退出");
  button.addEventListener("click", logout);
  replace(
    who,
    h("span", { id: "who-name", class: "who-name" }, user.display_name || user.username),
    h("span", { id: "who-role", class: "badge role" }, user.role_name || user.role),
    user.district ? h("span", { class: "who-district" }, user.district) : null,
    button,
  );
}

async function render() {
  const seq = ++state.seq;
  if (state.cleanup) state.cleanup();
  state.cleanup = null;
  clearBanner();
  const path = location.pathname;
  const main = document.getElementById("main");
  if (path === "/") {
    navigate(home(), { replace: true });
    return;
  }
  renderHeader(path);
  const route = ROUTES.find((item) => item.pattern.test(path));
  if (!route) {
    document.title = "页面不存在 · 反诈预警劝阻平台";
    replace(main, h("section", { class: "card" }, h("h1", null, "页面不存在"), h("p", null, h("a", { href: home() }, "返回首页"))));
    return;
  }
  if (!route.open && !state.user) {
    toLogin();
    return;
  }
  document.title = `${route.title} · 反诈预警劝阻平台`;
  if (route.action && !can(route.action)) {
    const name = state.meta.role_names[role()] || role();
    replace(main, h("section", { class: "card" }, h("h1", null, "无权访问"), h("p", null, `您的角色“${name}”无权查看“${route.title}”。`)));
    return;
  }
  replace(main, h("p", { class: "muted" }, "正在加载…"));
  const ctx = {
    user: state.user,
    meta: state.meta,
    params: path.match(route.pattern).slice(1),
    query: new URLSearchParams(location.search),
    alive: () => seq === state.seq,
    can,
    fail,
    navigate,
    onLogin,
    setQuery,
  };
  try {
    const cleanup = await route.page(main, ctx);
    if (seq === state.seq) state.cleanup = cleanup || null;
    else if (cleanup) cleanup();
  } catch (error) {
    fail(error);
  }
}

function onClick(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const link = event.target.closest("a[href]");
  if (!link || link.target || link.hasAttribute("download")) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || /^\/(api|static|ui)\//.test(url.pathname)) return;
  event.preventDefault();
  navigate(`${url.pathname}${url.search}`);
}

async function boot() {
  try {
    const response = await fetch("/ui/meta.json", { credentials: "same-origin" });
    state.meta = await response.json();
  } catch {
    showError("无法加载界面配置，请刷新页面重试");
    return;
  }
  try {
    state.user = await get("/auth/me");
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) showError(error);
    state.user = null;
  }
  document.addEventListener("click", onClick);
  window.addEventListener("popstate", render);
  setInterval(tickAll, 1000);
  await render();
  document.body.dataset.ready = "1";
}

boot();
