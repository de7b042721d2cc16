// Reading dates, amounts and other values out of CSV text. Dates and times
// without a time zone are taken as UTC, so an import means the same thing on
// every server.

export const dateFormats = ["iso", "yyyymmdd", "dd/mm/yyyy", "mm/dd/yyyy"] as const;
export type DateFormat = (typeof dateFormats)[number];

export const dateFormatLabels: Record<DateFormat, string> = {
  iso: "ISO 8601 (2024-03-31)",
  yyyymmdd: "YYYYMMDD (20240331)",
  "dd/mm/yyyy": "DD/MM/YYYY (31/03/2024)",
  "mm/dd/yyyy": "MM/DD/YYYY (03/31/2024)",
};

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

function utc(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  ms = 0,
): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms));
  // Date.UTC rolls 31 February over into March; a real date does not.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return undefined;
  return date;
}

const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;
const compactPattern = /^(\d{4})(\d{2})(\d{2})$/;
const slashPattern = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

export function parseDate(text: string, format: DateFormat): Parsed<Date> {
  const value = text.trim();
  const fail = (): Parsed<Date> => ({
    ok: false,
    error: `“${value}” is not a date in the format ${formatName[format]}`,
  });
  if (value === "") return { ok: false, error: "the date is empty" };
  let date: Date | undefined;
  if (format === "iso") {
    const m = isoPattern.exec(value);
    if (!m) return fail();
    const [, y, mo, d, h, mi, s, frac, zone] = m;
    const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
    date = utc(Number(y), Number(mo), Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0), ms);
    if (date && zone && zone.toUpperCase() !== "Z") {
      const sign = zone.startsWith("-") ? -1 : 1;
      const digits = zone.slice(1).replace(":", "");
      const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || 0);
      date = new Date(date.getTime() - sign * minutes * 60_000);
    }
  } else if (format === "yyyymmdd") {
    const m = compactPattern.exec(value);
    if (!m) return fail();
    date = utc(Number(m[1]), Number(m[2]), Number(m[3]));
  } else {
    const m = slashPattern.exec(value);
    if (!m) return fail();
    const [a, b] = [Number(m[1]), Number(m[2])];
    const [day, month] = format === "dd/mm/yyyy" ? [a, b] : [b, a];
    date = utc(Number(m[3]), month, day, Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  }
  return date ? { ok: true, value: date } : fail();
}

const formatName: Record<DateFormat, string> = {
  iso: "ISO 8601 (YYYY-MM-DD)",
  yyyymmdd: "YYYYMMDD",
  "dd/mm/yyyy": "DD/MM/YYYY",
  "mm/dd/yyyy": "MM/DD/YYYY",
};

/**
 * The format that reads most of the sample values (at least half; a few bad
 * rows do not hide it), preferring the first listed on a tie; undefined when
 * none does.
 */
export function detectDateFormat(samples: string[]): DateFormat | undefined {
  const values = samples.map((s) => s.trim()).filter(Boolean);
  if (values.length === 0) return undefined;
  let best: { format: DateFormat; read: number } | undefined;
  for (const format of dateFormats) {
    const read = values.filter((v) => parseDate(v, format).ok).length;
    if (read * 2 >= values.length && (!best || read > best.read)) best = { format, read };
  }
  return best?.format;
}

/**
 * An amount of money: "1234.5", "-12", "1,234.50", "1.234,50", "12,5", with
 * an optional currency sign or code around it. A lone comma followed by three
 * digits ("1,234") is a thousands separator.
 */
export function parseAmount(text: string): Parsed<number> {
  const original = text.trim();
  const value = original
    .replace(/^[A-Z]{3}\s*|\s*[A-Z]{3}$/g, "")
    .replace(/[$€£¥\s]/g, "")
    .replace(/^\((.*)\)$/, "-$1");
  let normalised: string | undefined;
  if (/^[-+]?\d+(\.\d+)?$/.test(value)) normalised = value;
  else if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(value)) normalised = value.replace(/,/g, "");
  else if (/^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(value))
    normalised = value.replace(/\./g, "").replace(",", ".");
  else if (/^[-+]?\d+,\d+$/.test(value)) normalised = value.replace(",", ".");
  const n = normalised === undefined ? NaN : Number(normalised);
  if (original === "") return { ok: false, error: "the amount is empty" };
  if (!Number.isFinite(n)) return { ok: false, error: `the amount “${original}” is not a number` };
  if (Math.abs(n) >= 1e12) return { ok: false, error: `the amount “${original}” is too large` };
  return { ok: true, value: Math.round(n * 100) / 100 };
}

/**
 * A value for properties and traits: plain numbers become numbers, except
 * those with leading zeros (ids and codes such as "00042" stay text).
 */
export function propertyValue(text: string): string | number {
  const value = text.trim();
  if (/^-?(0|[1-9]\d{0,14})(\.\d+)?$/.test(value)) return Number(value);
  return value;
}
