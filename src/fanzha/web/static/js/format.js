// Formatting for display: money in 元 (the API counts 分), times in Asia/Shanghai.

const TIME_ZONE = "Asia/Shanghai";
const DATE_TIME = new Intl.DateTimeFormat("zh-CN", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  hourCycle: "h23",
});
const YUAN = new Intl.NumberFormat("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const COUNT = new Intl.NumberFormat("zh-CN");

/** A Date from an API time; a time without offset is UTC (the store keeps UTC). */
export function parseTime(value) {
  if (!value) return null;
  const text = String(value);
  const zoned = /([zZ]|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`;
  const date = new Date(zoned);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2024-05-01 14:03:09" in Beijing time, or "—". */
export function formatTime(value) {
  const date = value instanceof Date ? value : parseTime(value);
  if (!date) return "—";
  const p = Object.fromEntries(DATE_TIME.formatToParts(date).map((part) => [part.type, part.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

/** The Beijing calendar day of a time: "2026-12-03" (never mm/dd/yyyy), or "—". */
export function formatDate(value) {
  const text = formatTime(value);
  return text === "—" ? text : text.slice(0, 10);
}

/** The Beijing calendar day as written in Chinese documents: "2026年12月3日", or "—". */
export function formatDateCn(value) {
  const day = formatDate(value);
  if (day === "—") return day;
  const [year, month, date] = day.split("-").map(Number);
  return `${year}年${month}月${date}日`;
}

/** A time counted in ``unit``: epoch seconds ("s") in Beijing time, or a simulation step. */
export function formatEpoch(value, unit = "s") {
  if (value === null || value === undefined) return "—";
  return unit === "s" ? formatTime(new Date(Number(value) * 1000)) : `第 ${value} 步`;
}

/** 分 → "1,234.50 元". */
export function formatYuan(fen) {
  if (fen === null || fen === undefined) return "—";
  return `${YUAN.format(Number(fen) / 100)} 元`;
}

/** Parse what an officer typed as 元 ("12,000.5") into 分; null when empty; throws on junk. */
export function yuanToFen(text) {
  const cleaned = String(text ?? "").replace(/[,，\s元]/g, "");
  if (cleaned === "") return null;
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) {
    throw new Error(`金额“${text}”无法识别：请填写不超过两位小数的元数，例如 12000.00`);
  }
  const [whole, part = ""] = cleaned.split(".");
  return Number(whole) * 100 + Number(part.padEnd(2, "0"));
}

export function formatCount(n) {
  return n === null || n === undefined ? "—" : COUNT.format(n);
}

/** 0.8333 → "83.3%"; null → "—". */
export function formatRate(rate) {
  return rate === null || rate === undefined ? "—" : `${(rate * 100).toFixed(1)}%`;
}

/** Minutes → "12.5 分钟" / "3 小时 20 分钟". */
export function formatMinutes(minutes) {
  if (minutes === null || minutes === undefined) return "—";
  if (minutes < 60) return `${minutes.toFixed(1)} 分钟`;
  const hours = Math.floor(minutes / 60);
  return `${hours} 小时 ${Math.round(minutes - hours * 60)} 分钟`;
}

function clock(ms) {
  const total = Math.floor(ms / 1000);
  const days = Math.floor(total / 86400);
  const hh = String(Math.floor((total % 86400) / 3600)).padStart(2, "0");
  const mm = String(Math.floor((total % 3600) / 60)).padStart(2, "0");
  const ss = String(total % 60).padStart(2, "0");
  return `${days ? `${days}天 ` : ""}${hh}:${mm}:${ss}`;
}

/** The SLA countdown text and whether it is overdue, at ``now``. */
export function countdown(due, now = Date.now()) {
  const date = due instanceof Date ? due : parseTime(due);
  if (!date) return { text: "—", overdue: false };
  const left = date.getTime() - now;
  return left >= 0
    ? { text: `剩余 ${clock(left)}`, overdue: false, urgent: left < 5 * 60 * 1000 }
    : { text: `已超时 ${clock(-left)}`, overdue: true, urgent: true };
}

/** A Beijing calendar day ("2024-05-01") → the ISO instant its day starts, plus ``days``. */
export function dayStart(day, days = 0) {
  if (!day) return null;
  const date = new Date(`${day}T00:00:00+08:00`);
  if (Number.isNaN(date.getTime())) return null;
  date.setTime(date.getTime() + days * 86400000);
  return date.toISOString();
}
