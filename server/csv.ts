/** A CSV field (RFC 4180): quoted when it holds a delimiter, a quote or a line break; null is empty. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
