// 宣传防范: audiences (counts only), suggestions from recent cases, templates, campaigns with
// a commander's approval, the delivery log and outreach events. The sender on the server
// sends approved campaigns on their schedules; nothing here sends directly.

import { get, post } from "../api.js";
import { h, replace, showNotice, table } from "../dom.js";
import { formatTime, formatYuan } from "../format.js";
import { checkDays, dayInput, labelled, pager, select } from "../widgets.js";

const GROUPS = [
  ["general", "全体群众"],
  ["students", "学生"],
  ["elderly", "老年人"],
  ["mothers", "宝妈"],
  ["finance_staff", "企业财务人员"],
];
const AGE_BANDS = [
  ["", "不限年龄"],
  ["under_18", "18岁以下"],
  ["18_29", "18–29岁"],
  ["30_44", "30–44岁"],
  ["45_59", "45–59岁"],
  ["60_plus", "60岁及以上"],
];
const CHANNEL_NAMES = { file: "文件（演示）", sms: "短信", smtp: "电子邮件", wecom: "群聊机器人" };
const channelName = (name) => CHANNEL_NAMES[name] || name;
const runName = (key) => (key === "once" ? "单次" : key.replace("-W", " 年第 ").concat(key.includes("-W") ? " 周" : ""));
const WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"].map((label, i) => [i, label]);
const TABS = [
  ["/outreach/campaigns", "宣传活动"],
  ["/outreach/audiences", "受众"],
  ["/outreach/suggestions", "研判建议"],
  ["/outreach/templates", "提醒模板"],
  ["/outreach/deliveries", "发送记录"],
  ["/outreach/events", "线下宣传"],
];

function head(title, ctx, ...extra) {
  const here = location.pathname;
  return [
    h("div", { class: "page-head" }, h("h1", null, title), ...extra),
    h(
      "nav",
      { class: "subnav", id: "outreach-tabs" },
      TABS.map(([path, label]) => h("a", { href: path, class: path === here ? "active" : "" }, label)),
    ),
  ];
}

function checkbox(id, label) {
  const box = h("input", { type: "checkbox", id });
  return [box, h("label", { class: "check" }, box, ` ${label}`)];
}

/** The audience form's controls and a reader of their values. */
function audienceForm(ctx) {
  const group = select({ id: "aud-group" }, GROUPS, "general");
  const band = select({ id: "aud-band" }, AGE_BANDS, "");
  const district = h("input", { id: "aud-district", placeholder: "全部辖区", maxlength: 32, value: ctx.user.district || "" });
  const [victims, victimsLabel] = checkbox("aud-victims", "曾受骗群众");
  const [warned, warnedLabel] = checkbox("aud-warned", "曾被预警群众");
  const [villages, villagesLabel] = checkbox("aud-villages", "重点村居民");
  const read = () => ({
    group: group.value,
    age_bands: band.value ? [band.value] : [],
    districts: district.value.trim() ? [district.value.trim()] : [],
    past_victims: victims.checked,
    warned: warned.checked,
    key_villages: villages.checked,
  });
  const controls = [labelled("受众群体", group), labelled("年龄段", band), labelled("辖区", district), victimsLabel, warnedLabel, villagesLabel];
  return { controls, read, group };
}

async function showCount(ctx, audience, into) {
  try {
    const count = await post("/outreach/audiences/count", audience);
    const parts = Object.entries(count.by_district).map(([d, n]) => `${d} ${n} 人`).join("，");
    replace(into, h("span", { id: "aud-count" }, `${count.description}：共 ${count.total} 人，可送达 ${count.reachable} 人，已退订 ${count.opted_out} 人`), parts ? h("div", { class: "muted" }, parts) : null);
  } catch (error) {
    ctx.fail(error);
  }
}

export async function renderAudiences(main, ctx) {
  const form = audienceForm(ctx);
  const result = h("div", { id: "aud-result", class: "card" }, "选择条件后点“统计人数”。");
  const count = h("button", { type: "button", id: "aud-submit" }, "统计人数");
  count.addEventListener("click", () => showCount(ctx, form.read(), result));
  const parts = [
    ...head("受众", ctx),
    h("form", { class: "filters", onsubmit: (e) => e.preventDefault() }, ...form.controls, count),
    h("p", { class: "legend" }, "只统计人数，不显示名单；发送时渠道只得到发送编号和号码。宝妈指 22–45 岁、无固定职业的女性。"),
    result,
  ];
  if (ctx.can("outreach.write")) {
    const number = h("input", { id: "optout-number", maxlength: 32, placeholder: "回复“T”的手机号" });
    const onsubmit = async (event) => {
      event.preventDefault();
      try {
        const done = await post("/outreach/opt-outs", { number: number.value.trim(), source: "sms_reply" });
        showNotice(done.opted_out ? `已退订 ${done.opted_out} 人` : "该号码已退订或不在记录中", "退订后所有渠道、所有活动都不再发送。");
      } catch (error) {
        ctx.fail(error);
      }
    };
    parts.push(h("form", { class: "filters card", id: "optout-form", onsubmit }, h("h2", null, "退订登记"), labelled("手机号", number), h("button", { type: "submit", id: "optout-save" }, "登记退订")));
  }
  replace(main, ...parts);
}

export async function renderSuggestions(main, ctx) {
  const data = await get("/outreach/suggestions", { days: 14 });
  if (!ctx.alive()) return;
  const columns = [
    { label: "辖区", cell: (s) => s.district },
    { label: "诈骗类型", cell: (s) => s.fraud_type_name },
    { label: "近14天", class: "num", cell: (s) => String(s.recent) },
    { label: "前14天", class: "num", cell: (s) => String(s.previous) },
    { label: "损失", class: "num", cell: (s) => formatYuan(s.recent_loss_fen) },
    { label: "建议受众", cell: (s) => s.group_label },
    { label: "理由", class: "reason", cell: (s) => s.reason },
    { label: "", cell: (s) => h("a", { href: `/outreach/campaigns?template=${encodeURIComponent(s.sms_template)}&group=${s.group}&district=${encodeURIComponent(s.district)}` }, "据此建活动") },
  ];
  replace(main, ...head("研判建议", ctx), h("p", { class: "legend" }, "按各辖区近 14 天与前 14 天的案件数比较，列出上升最快的诈骗类型及建议的受众与模板。"), table(columns, data.data, { empty: "近期没有上升的诈骗类型", rowAttrs: () => ({ class: "suggestion-row" }) }));
}

export async function renderTemplates(main, ctx) {
  const group = select({ id: "tpl-group" }, [["", "全部受众"], ...GROUPS], "");
  const kind = select({ id: "tpl-kind" }, [["", "全部"], ["sms", "短信"], ["post", "群发帖文"]], "sms");
  const results = h("div", { id: "tpl-results" });
  const columns = [
    { label: "模板", cell: (t) => h("div", null, h("strong", null, t.title), h("code", { class: "muted" }, t.code)) },
    { label: "预览（示例：青秀区）", class: "reason", cell: (t) => h("div", { class: "tpl-preview" }, t.preview) },
    { label: "字数", class: "num", cell: (t) => String(t.units) },
    { label: "计费条数", cell: (t) => (t.kind === "sms" ? `${t.segments} 条（${t.segment_rule}）` : t.segment_rule) },
  ];
  async function load() {
    const data = await get("/outreach/templates", { group: group.value || null, kind: kind.value || null });
    if (!ctx.alive()) return;
    replace(results, h("p", { class: "muted" }, `共 ${data.count} 个模板`), table(columns, data.data, { rowAttrs: (t) => ({ class: "tpl-row", dataset: { code: t.code } }) }));
  }
  group.addEventListener("change", load);
  kind.addEventListener("change", load);
  const draft = h("textarea", { id: "tpl-draft", rows: 3, maxlength: 4000, placeholder: "短信正文，可用下方说明中的变量" });
  const previewed = h("div", { id: "tpl-draft-preview", class: "tpl-preview muted" });
  const previewButton = h("button", { type: "button", id: "tpl-draft-button", class: "ghost" }, "预览");
  previewButton.addEventListener("click", async () => {
    try {
      const p = await post("/outreach/templates/preview", { body: draft.value, group: group.value || "general", kind: "sms" });
      replace(previewed, p.preview, h("div", null, `${p.units} 字，${p.segments} 条（${p.segment_rule}）`));
    } catch (error) {
      ctx.fail(error);
    }
  });
  replace(
    main,
    ...head("提醒模板", ctx),
    h("div", { class: "card" }, h("h2", null, "试写短信"), draft, previewButton, previewed),
    h("form", { class: "filters", onsubmit: (e) => e.preventDefault() }, labelled("受众", group), labelled("类型", kind)),
    h(
      "p",
      { class: "legend" },
      "短信按 UCS-2 计费：70 字以内为 1 条，超过后每条 67 字。模板可用变量：",
      ...[["salutation", "称呼"], ["district", "辖区"], ["center", "发送单位"], ["hotline", "专线"], ["optout", "退订提示"]].flatMap(([name, label]) => [h("code", null, `{${name}}`), ` ${label}　`]),
      "不含姓名等个人信息。",
    ),
    results,
  );
  await load();
}

function campaignActions(ctx, campaign, reload) {
  const act = async (to, label) => {
    try {
      await post(`/outreach/campaigns/${campaign.id}/transition`, { to });
      showNotice(`活动 #${campaign.id} ${label}`);
    } catch (error) {
      ctx.fail(error);
    }
    reload();
  };
  const button = (cls, label, to) => {
    const b = h("button", { type: "button", class: cls, dataset: { campaignId: campaign.id } }, label);
    b.addEventListener("click", () => act(to, label));
    return b;
  };
  const buttons = [];
  if (campaign.state === "draft" && ctx.can("outreach.write")) buttons.push(button("campaign-submit", "提交审批", "pending"));
  if (campaign.state === "pending" && ctx.can("outreach.approve")) {
    buttons.push(button("campaign-approve", "批准", "approved"), button("campaign-reject ghost", "退回", "draft"));
  }
  const dry = h("button", { type: "button", class: "campaign-dry ghost", dataset: { campaignId: campaign.id } }, "试运行");
  dry.addEventListener("click", async () => {
    try {
      const run = await post(`/outreach/campaigns/${campaign.id}/dry-run`);
      const parts = Object.entries(run.statuses).map(([s, n]) => `${run.status_labels[s] || s} ${n}`).join("，") || "无收件人";
      showNotice(`试运行 #${campaign.id}：${parts}${run.quiet_hours ? "（当前为静默时段，短信将顺延至 8:00）" : ""}`, run.sample_text);
    } catch (error) {
      ctx.fail(error);
    }
  });
  buttons.push(dry);
  return h("div", { class: "campaign-actions" }, buttons);
}

export async function renderCampaigns(main, ctx) {
  const list = h("div", { id: "campaign-list" });
  const deliveries = (c) => Object.entries(c.deliveries).map(([s, n]) => `${{ sent: "已发送", queued: "待发送", deferred: "顺延", failed: "失败", skipped_optout: "已退订", skipped_cap: "超频次", interrupted: "中断" }[s] || s} ${n}`).join("，") || "—";
  const columns = [
    { label: "编号", cell: (c) => `#${c.id}` },
    { label: "名称", cell: (c) => c.name },
    { label: "受众", cell: (c) => c.audience_label },
    { label: "模板", cell: (c) => c.template_title },
    { label: "渠道", cell: (c) => channelName(c.channel) },
    { label: "计划", cell: (c) => c.schedule_label },
    { label: "状态", cell: (c) => h("span", { class: `badge state-${c.state} campaign-state` }, c.state_label) },
    { label: "审批", cell: (c) => (c.approved_at ? `${c.approved_by_name || ""} ${formatTime(c.approved_at)}` : "—") },
    { label: "发送", cell: (c) => h("a", { href: `/outreach/deliveries?campaign_id=${c.id}`, class: "campaign-deliveries" }, deliveries(c)) },
    { label: "操作", cell: (c) => campaignActions(ctx, c, load) },
  ];
  async function load() {
    const data = await get("/outreach/campaigns");
    if (!ctx.alive()) return;
    replace(list, table(columns, data.data, { empty: "还没有宣传活动", rowAttrs: (c) => ({ class: "campaign-row", dataset: { campaignId: c.id, state: c.state } }) }));
  }
  const parts = [...head("宣传活动", ctx)];
  if (ctx.can("outreach.write")) {
    const form = audienceForm(ctx);
    const preset = ctx.query.get("group");
    if (preset) form.group.value = preset;
    const name = h("input", { id: "campaign-name", maxlength: 128, placeholder: "如：青秀区学生防刷单提醒" });
    const template = h("input", { id: "campaign-template", maxlength: 96, value: ctx.query.get("template") || "brushing_rebate.general.sms" });
    const channels = await get("/outreach/channels");
    const channel = select({ id: "campaign-channel" }, channels.map((c) => [c.name, CHANNEL_NAMES[c.name] || c.kind_label]), "file");
    const kind = select({ id: "campaign-kind" }, [["once", "一次（批准后发送）"], ["weekly", "每周"]], "once");
    const weekday = select({ id: "campaign-weekday" }, WEEKDAYS, 0);
    const hour = h("input", { id: "campaign-hour", type: "number", min: 8, max: 20, value: 10 });
    const counted = h("div", { id: "campaign-count", class: "muted" });
    const count = h("button", { type: "button", id: "campaign-count-button", class: "ghost" }, "统计人数");
    count.addEventListener("click", () => showCount(ctx, form.read(), counted));
    const save = h("button", { type: "submit", id: "campaign-save" }, "保存草稿");
    const onsubmit = async (event) => {
      event.preventDefault();
      try {
        const made = await post("/outreach/campaigns", {
          name: name.value.trim(),
          audience: form.read(),
          template_code: template.value.trim(),
          channel: channel.value,
          schedule_kind: kind.value,
          weekday: Number(weekday.value),
          hour: Number(hour.value),
        });
        showNotice(`活动 #${made.id} 已保存为草稿`, "提交审批并经指挥长批准后才会发送。");
      } catch (error) {
        ctx.fail(error);
      }
      load();
    };
    parts.push(
      h(
        "form",
        { class: "card campaign-form", id: "campaign-form", onsubmit },
        h("h2", null, "新建活动"),
        h("div", { class: "filters" }, labelled("名称", name), ...form.controls),
        h("div", { class: "filters" }, labelled("模板编号", template), labelled("渠道", channel), labelled("计划", kind), labelled("每周", weekday), labelled("时（北京时间）", hour), count, save),
        counted,
        h("p", { class: "legend" }, "短信不在 21:00–08:00 发送（顺延至 8:00）；每人 7 天内最多收到 2 条提醒（各活动合计）；已退订的群众不再发送。"),
      ),
    );
  }
  parts.push(list);
  replace(main, ...parts);
  await load();
}

export async function renderDeliveries(main, ctx) {
  const campaignId = ctx.query.get("campaign_id");
  const page = Math.max(1, Number(ctx.query.get("page")) || 1);
  const data = await get("/outreach/deliveries", { campaign_id: campaignId, page, per_page: 50 });
  if (!ctx.alive()) return;
  const columns = [
    { label: "编号", cell: (d) => `#${d.id}` },
    { label: "活动", cell: (d) => `#${d.campaign_id}` },
    { label: "批次", cell: (d) => runName(d.run_key) },
    { label: "辖区", cell: (d) => d.district || "—" },
    { label: "地址", cell: (d) => (d.address in CHANNEL_NAMES ? channelName(d.address) : d.address) },
    { label: "渠道", cell: (d) => channelName(d.channel) },
    { label: "状态", cell: (d) => h("span", { class: `badge delivery-${d.status}` }, d.status_label) },
    { label: "尝试", class: "num", cell: (d) => String(d.attempts) },
    { label: "发送时间", cell: (d) => (d.sent_at ? formatTime(d.sent_at) : "—") },
    { label: "说明", cell: (d) => d.error || "" },
  ];
  replace(
    main,
    ...head("发送记录", ctx, h("span", { class: "muted", id: "delivery-count" }, `共 ${data.count} 条`)),
    table(columns, data.data, { empty: "暂无发送记录", rowAttrs: (d) => ({ class: "delivery-row", dataset: { status: d.status } }) }),
    pager({ page: data.page, perPage: data.per_page, count: data.count, onPage: (p) => ctx.navigate(`/outreach/deliveries?${new URLSearchParams({ ...(campaignId ? { campaign_id: campaignId } : {}), page: p })}`) }),
  );
}

export async function renderEvents(main, ctx) {
  const list = h("div", { id: "event-list" });
  const columns = [
    { label: "日期", cell: (e) => e.held_on },
    { label: "辖区", cell: (e) => e.district || "—" },
    { label: "地点", cell: (e) => e.place },
    { label: "形式", cell: (e) => e.kind },
    { label: "覆盖人数", class: "num", cell: (e) => String(e.people_reached) },
    { label: "宣传物料", class: "reason", cell: (e) => e.materials || "—" },
  ];
  async function load() {
    const data = await get("/outreach/events");
    if (!ctx.alive()) return;
    replace(list, h("p", { id: "event-totals" }, `共 ${data.events} 场，${data.sites} 个点位，覆盖 ${data.people_reached} 人次`), table(columns, data.data, { empty: "暂无记录" }));
  }
  const parts = [...head("线下宣传", ctx)];
  if (ctx.can("outreach.write")) {
    const day = dayInput("event-day", "", "2026-12-03");
    const place = h("input", { id: "event-place", maxlength: 128, required: true, placeholder: "如：朝阳菜市" });
    const kind = select({ id: "event-kind" }, ["反诈集市", "反诈菜市", "进社区", "进学校", "进企业", "家长会", "其他"].map((k) => [k, k]), "进社区");
    const people = h("input", { id: "event-people", type: "number", min: 0, value: 0 });
    const materials = h("input", { id: "event-materials", maxlength: 2000, placeholder: "折页 200 份、展板 4 块" });
    const onsubmit = async (event) => {
      event.preventDefault();
      if (!day.value.trim()) return showNotice("请填写日期（年-月-日）");
      if (!checkDays([["日期", day]])) return;
      try {
        await post("/outreach/events", { held_on: day.value, place: place.value.trim(), kind: kind.value, people_reached: Number(people.value), materials: materials.value.trim(), district: ctx.user.district || null });
        showNotice("宣传活动已登记");
      } catch (error) {
        ctx.fail(error);
      }
      load();
    };
    parts.push(h("form", { class: "filters card", id: "event-form", onsubmit }, labelled("日期", day), labelled("地点", place), labelled("形式", kind), labelled("覆盖人数", people), labelled("物料", materials), h("button", { type: "submit", id: "event-save" }, "登记")));
  }
  parts.push(list);
  replace(main, ...parts);
  await load();
}
