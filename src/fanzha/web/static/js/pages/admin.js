// 系统管理: officer accounts (create, role and district, disable / enable), login sessions
// (list, revoke) for the administrator; the audit log (filters, chain check) for the roles
// the permission table names.

import { api, get, post } from "../api.js";
import { h, replace, showError, showNotice, table } from "../dom.js";
import { dayStart, formatTime } from "../format.js";
import { checkDays, dayInput, labelled, pager, select } from "../widgets.js";

const PER_PAGE = 50;

function roleOptions(meta) {
  return Object.entries(meta.role_names).filter(([role]) => role !== "anonymous");
}

function statusBadge(active) {
  return h("span", { class: `badge ${active ? "user-active" : "user-disabled"}` }, active ? "正常" : "已停用");
}

// ---------------------------------------------------------------- 用户管理

function createForm(ctx, onCreated) {
  const username = h("input", { id: "new-username", required: true, autocomplete: "off", placeholder: "如：chen.jing", class: "mono" });
  const name = h("input", { id: "new-display-name", required: true, placeholder: "如：陈静" });
  const role = select({ id: "new-role" }, roleOptions(ctx.meta), "warning_officer");
  const district = h("input", { id: "new-district", placeholder: "如：青秀区（市级留空）" });
  const password = h("input", { id: "new-password", type: "password", required: true, autocomplete: "new-password" });
  const form = h(
    "form",
    { id: "user-create", class: "filters" },
    labelled("登录名", username, "字母、数字、点、下划线"),
    labelled("姓名", name),
    labelled("角色", role),
    labelled("辖区", district),
    labelled("初始密码", password, "至少 8 位"),
    h("button", { type: "submit", class: "primary", id: "user-create-submit" }, "新建用户"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      const user = await post("/users", {
        username: username.value.trim(),
        display_name: name.value.trim(),
        role: role.value,
        district: district.value.trim() || null,
        password: password.value,
      });
      form.reset();
      showNotice(`已新建用户“${user.display_name}”（${user.username}）`);
      await onCreated();
    } catch (error) {
      showError(error, "新建用户失败");
    }
  });
  return h("section", { class: "card" }, h("h2", null, "新建用户"), form);
}

function userRow(ctx, user, reload) {
  const mine = ctx.user && ctx.user.id === user.id;
  const role = select({ class: "user-role", "aria-label": "角色", disabled: mine }, roleOptions(ctx.meta), user.role);
  const district = h("input", { class: "user-district", "aria-label": "辖区", value: user.district || "", placeholder: "市级" });
  const save = h("button", { type: "button", class: "user-save" }, "保存");
  const toggle = h(
    "button",
    { type: "button", class: user.active ? "user-disable danger" : "user-enable", disabled: mine, title: mine ? "不能停用自己的账号" : null },
    user.active ? "停用" : "启用",
  );
  const reset = h("button", { type: "button", class: "user-reset" }, "重置密码");
  reset.addEventListener("click", async () => {
    const password = window.prompt(`为“${user.display_name}”设置新密码（其全部登录会话将失效）：`);
    if (!password) return;
    try {
      await api("PUT", `/users/${user.id}/password`, { body: { password } });
      showNotice(`已重置“${user.display_name}”的密码，其登录会话已全部失效`);
    } catch (error) {
      showError(error, "重置密码失败");
    }
  });
  async function change(body, done) {
    try {
      const changed = await api("PATCH", `/users/${user.id}`, { body });
      showNotice(done(changed));
      await reload();
    } catch (error) {
      showError(error, "修改用户失败");
    }
  }
  save.addEventListener("click", () =>
    change({ role: mine ? undefined : role.value, district: district.value.trim() || null }, (u) => `已保存“${u.display_name}”：${u.role_name}，${u.district || "市级"}`),
  );
  toggle.addEventListener("click", () => {
    const enable = !user.active;
    if (!enable && !window.confirm(`确定停用“${user.display_name}”的账号？其登录会话将立即失效。`)) return;
    change({ active: enable }, (u) => `已${enable ? "启用" : "停用"}“${u.display_name}”的账号`);
  });
  return { user, role, district, actions: h("span", { class: "row-actions" }, save, reset, toggle) };
}

export async function renderUsers(main, ctx) {
  const results = h("div", { id: "user-results" });
  const summary = h("span", { id: "user-count", class: "muted" });

  async function load() {
    let users;
    try {
      users = await get("/users");
    } catch (error) {
      ctx.fail(error);
      return;
    }
    if (!ctx.alive()) return;
    summary.textContent = `共 ${users.length} 个账号`;
    const rows = users.map((user) => userRow(ctx, user, load));
    replace(
      results,
      table(
        [
          { label: "登录名", cell: (r) => h("code", null, r.user.username) },
          { label: "姓名", cell: (r) => r.user.display_name },
          { label: "角色", cell: (r) => r.role },
          { label: "辖区", cell: (r) => r.district },
          { label: "状态", cell: (r) => statusBadge(r.user.active) },
          { label: "操作", cell: (r) => r.actions },
        ],
        rows,
        { empty: "暂无用户", rowAttrs: (r) => ({ dataset: { username: r.user.username }, class: r.user.active ? null : "row-disabled" }) },
      ),
    );
  }

  replace(
    main,
    h("div", { class: "page-head" }, h("h1", null, "用户管理"), summary, h("a", { href: "/admin/sessions", class: "button" }, "登录会话")),
    createForm(ctx, load),
    h("section", { class: "card" }, h("h2", null, "全部用户"), results),
  );
  await load();
}

// ---------------------------------------------------------------- 登录会话

export async function renderSessions(main, ctx) {
  const results = h("div", { id: "session-results" });
  const summary = h("span", { id: "session-count", class: "muted" });

  async function revoke(row) {
    if (!window.confirm(`确定注销“${row.display_name}”的这次登录？`)) return;
    try {
      await api("DELETE", `/sessions/${row.id}`);
      showNotice(`已注销“${row.display_name}”的登录会话`);
      await load();
    } catch (error) {
      showError(error, "注销会话失败");
    }
  }

  async function load() {
    let rows;
    try {
      rows = await get("/sessions");
    } catch (error) {
      ctx.fail(error);
      return;
    }
    if (!ctx.alive()) return;
    summary.textContent = `当前有效会话 ${rows.length} 个`;
    replace(
      results,
      table(
        [
          { label: "姓名", cell: (r) => r.display_name },
          { label: "登录名", cell: (r) => h("code", null, r.username) },
          { label: "角色", cell: (r) => r.role_name },
          { label: "登录时间", cell: (r) => formatTime(r.created_at) },
          { label: "到期时间", cell: (r) => formatTime(r.expires_at) },
          {
            label: "操作",
            cell: (r) => {
              if (r.current) return h("span", { class: "badge" }, "当前会话");
              const button = h("button", { type: "button", class: "session-revoke danger" }, "注销");
              button.addEventListener("click", () => revoke(r));
              return button;
            },
          },
        ],
        rows,
        { empty: "没有有效的登录会话", rowAttrs: (r) => ({ dataset: { username: r.username, session: r.id } }) },
      ),
    );
  }

  replace(
    main,
    h("div", { class: "page-head" }, h("h1", null, "登录会话"), summary, h("a", { href: "/admin/users", class: "button" }, "用户管理")),
    h("section", { class: "card" }, h("p", { class: "muted" }, "注销后，该次登录立即失效，需重新登录。停用账号会注销其全部会话。"), results),
  );
  await load();
}

// ---------------------------------------------------------------- 审计日志

function readFilters(query) {
  return {
    username: query.get("username") || "",
    action: query.get("action") || "",
    object_type: query.get("object_type") || "",
    object_id: query.get("object_id") || "",
    since: query.get("since") || "",
    until: query.get("until") || "",
    page: Math.max(1, Number(query.get("page")) || 1),
  };
}

function labelOf(labels, code) {
  return labels[code] ? labels[code] : h("code", null, code);
}

function verifyText(report) {
  if (report.ok) {
    return report.checked ? `审计链完整：共校验 ${report.checked} 条记录，未发现篡改` : "审计日志为空，没有需要校验的记录";
  }
  const where = report.first_bad_id ? `第 ${report.first_bad_id} 号记录` : "链尾";
  return `审计链校验失败：${where}处记录被改动、删除或插入（已校验 ${report.checked} 条）`;
}

export async function renderAudit(main, ctx) {
  const filters = readFilters(ctx.query);
  const results = h("div", { id: "audit-results" });
  const summary = h("span", { id: "audit-count", class: "muted" });
  const verdict = h("p", { id: "audit-verify-result", class: "muted", hidden: true });
  const actions = ctx.meta.audit_actions;
  const objects = ctx.meta.audit_objects;

  async function load() {
    ctx.setQuery({ ...filters, page: filters.page > 1 ? filters.page : null });
    const query = { ...filters, since: dayStart(filters.since), until: dayStart(filters.until, 1), per_page: PER_PAGE };
    let data;
    try {
      data = await get("/audit", query);
    } catch (error) {
      ctx.fail(error);
      return;
    }
    if (!ctx.alive()) return;
    summary.textContent = `共 ${data.count} 条`;
    replace(
      results,
      table(
        [
          { label: "时间", cell: (e) => formatTime(e.at) },
          { label: "用户", cell: (e) => h("code", null, e.username) },
          { label: "角色", cell: (e) => ctx.meta.role_names[e.role] || e.role },
          { label: "操作", cell: (e) => labelOf(actions, e.action) },
          { label: "对象", cell: (e) => labelOf(objects, e.object_type) },
          { label: "对象编号", cell: (e) => (e.object_id ? h("code", null, e.object_id) : "—") },
          { label: "事由", class: "reason", cell: (e) => e.reason || "—" },
        ],
        data.data,
        { empty: "没有符合条件的审计记录", rowAttrs: (e) => ({ dataset: { action: e.action, username: e.username } }) },
      ),
      pager({
        page: data.page,
        perPage: data.per_page,
        count: data.count,
        onPage: (page) => {
          filters.page = page;
          load();
        },
      }),
    );
  }

  const username = h("input", { id: "audit-username", value: filters.username, placeholder: "登录名" });
  const action = select({ id: "audit-action" }, [["", "全部操作"], ...Object.entries(actions)], filters.action);
  const objectType = select({ id: "audit-object-type" }, [["", "全部对象"], ...Object.entries(objects)], filters.object_type);
  const objectId = h("input", { id: "audit-object-id", value: filters.object_id, placeholder: "编号" });
  const since = dayInput("audit-since", filters.since, "2026-12-01");
  const until = dayInput("audit-until", filters.until, "2026-12-31");
  const form = h(
    "form",
    { id: "audit-filters", class: "filters" },
    labelled("用户", username),
    labelled("操作", action),
    labelled("对象", objectType),
    labelled("对象编号", objectId),
    labelled("起始日期", since, "北京时间，年-月-日"),
    labelled("截止日期", until, "含当日"),
    h("button", { type: "submit", class: "primary", id: "audit-search" }, "查询"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!checkDays([["起始日期", since], ["截止日期", until]])) return;
    Object.assign(filters, {
      username: username.value.trim(),
      action: action.value,
      object_type: objectType.value,
      object_id: objectId.value.trim(),
      since: since.value.trim(),
      until: until.value.trim(),
      page: 1,
    });
    load();
  });

  let verify = null;
  if (ctx.can("audit.verify")) {
    verify = h("button", { type: "button", id: "audit-verify", class: "primary" }, "校验审计链");
    verify.addEventListener("click", async () => {
      verify.disabled = true;
      try {
        const report = await get("/audit/verify");
        verdict.hidden = false;
        verdict.className = report.ok ? "verify-ok" : "verify-bad";
        verdict.textContent = verifyText(report);
        if (report.ok) showNotice(verdict.textContent);
        else showError(verdict.textContent);
      } catch (error) {
        showError(error, "校验审计链失败");
      } finally {
        verify.disabled = false;
      }
    });
  }

  replace(
    main,
    h("div", { class: "page-head" }, h("h1", null, "审计日志"), summary, verify),
    verdict,
    form,
    results,
  );
  await load();
}
