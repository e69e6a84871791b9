// 民警登录: username + password; the API sets the HttpOnly login cookie.

import { post } from "../api.js";
import { clearBanner, h, replace } from "../dom.js";
import { labelled } from "../widgets.js";

export async function render(main, ctx) {
  const next = ctx.query.get("next");
  if (ctx.user) {
    ctx.onLogin(ctx.user, next);
    return;
  }
  const username = h("input", { id: "username", name: "username", autocomplete: "username", required: true, maxlength: 64 });
  const password = h("input", { id: "password", name: "password", type: "password", autocomplete: "current-password", required: true, maxlength: 256 });
  const submit = h("button", { type: "submit", id: "login-submit", class: "primary" }, "登录");
  const form = h(
    "form",
    { id: "login-form", class: "card login" },
    h("h1", null, "民警登录"),
    labelled("用户名", username),
    labelled("密码", password),
    submit,
    h("p", { class: "muted" }, "群众自查可直接使用", h("a", { href: "/screen" }, "识诈检测"), "，无需登录。"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submit.disabled = true;
    try {
      const result = await post("/auth/login", { username: username.value.trim(), password: password.value });
      clearBanner();
      ctx.onLogin(result.user, next);
    } catch (error) {
      ctx.fail(error);
      submit.disabled = false;
      password.value = "";
      password.focus();
    }
  });
  replace(main, form);
  username.focus();
}
