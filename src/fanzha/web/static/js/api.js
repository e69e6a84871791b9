// The JSON API under /api/v1: same-origin fetch with the HttpOnly login cookie.
// Every error body is {"error": {"code", "message", "field", "detail"}}; it becomes an ApiError
// (message: Chinese, for people; detail: the original text, for pages that read its figures).

export const API = "/api/v1";

export class ApiError extends Error {
  constructor(status, code, message, field, detail = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.detail = detail;
  }
}

function queryString(query) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query || {})) {
    if (value === null || value === undefined || value === "" || value === false) continue;
    for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** Call the API; resolves to the parsed JSON (null for 204), rejects with ApiError. */
export async function api(method, path, { body, query } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(`${API}${path}${queryString(query)}`, init);
  } catch {
    throw new ApiError(0, "network", "无法连接服务器，请检查网络后重试", null);
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = (data && data.error) || {};
    throw new ApiError(
      response.status,
      error.code || "http_error",
      error.message || `请求失败（HTTP ${response.status}）`,
      error.field || null,
      error.detail || null,
    );
  }
  return data;
}

/** The file name a download's Content-Disposition gives (its UTF-8 ``filename*`` first). */
export function downloadName(disposition, fallback) {
  const utf8 = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition || "");
  if (utf8) {
    try {
      return decodeURIComponent(utf8[1]);
    } catch {
      // a malformed name: fall through to the plain one
    }
  }
  const plain = /filename="([^"]+)"/i.exec(disposition || "");
  return plain ? plain[1] : fallback;
}

/** Download a file from the API (an export): saved under the name the server gives; an
 * error body becomes an ApiError like any other call. Resolves to the file name. */
export async function download(path, query) {
  let response;
  try {
    response = await fetch(`${API}${path}${queryString(query)}`, { credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "network", "无法连接服务器，请检查网络后重试", null);
  }
  if (!response.ok) {
    let error = {};
    try {
      error = (await response.json()).error || {};
    } catch {
      error = {};
    }
    throw new ApiError(response.status, error.code || "http_error", error.message || `导出失败（HTTP ${response.status}）`, error.field || null);
  }
  const name = downloadName(response.headers.get("Content-Disposition"), path.split("/").pop());
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return name;
}

// Why a page reads personal data: sent as the look-up reason (the API refuses reads without one
// and audits it). Each page sends its purpose; the officer chose it by opening the page.
export const PURPOSE = Object.freeze({
  task: "预警处置：查看任务",
  queue: "预警处置：查看队列",
  caseList: "案件查询：案件列表",
  caseDetail: "案件查询：查看案件详情",
  fundsCase: "资金查控：查看案件",
  trace: "资金查控：资金追踪",
  returnPlan: "资金查控：返还方案",
  expand: "研判扩线：扩线查询",
  path: "研判扩线：关联路径",
  exportQueue: "预警处置：导出队列",
  exportCases: "案件查询：导出案件列表",
  exportTransfers: "案件查询：导出资金流水",
  exportLedger: "资金查控：导出止付冻结台账",
  exportPlan: "资金查控：导出返还方案",
  search: "综合查询：按线索查找",
});

export const get = (path, query) => api("GET", path, { query });
export const post = (path, body, query) => api("POST", path, { body, query });
