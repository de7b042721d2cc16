import { attachmentType, MAX_ATTACHMENT_BYTES } from "~/server/maturity/attachment-types";
import type { IndicatorUnit } from "~/server/maturity/indicators";
import type { ScoreInput } from "~/server/maturity/assessments";
import type { Confidence } from "~/server/maturity/scoring";

// The assessor's sheet as the form holds it, and the checks the page makes
// before it sends anything, so that a mistake is shown beside its field at once
// rather than after a round trip. The server checks the same things again.

export interface SavedScore {
  level: number | null;
  confidence: Confidence | null;
  notes: string;
  evidenceText: string;
  evidenceLinks: string[];
}

export interface Draft {
  level: number | null;
  confidence: Confidence | null;
  notes: string;
  evidenceText: string;
  links: string[];
}

export function draftOf(saved: SavedScore | undefined): Draft {
  return {
    level: saved?.level ?? null,
    confidence: saved?.confidence ?? null,
    notes: saved?.notes ?? "",
    evidenceText: saved?.evidenceText ?? "",
    links: saved?.evidenceLinks ?? [],
  };
}

/** Whether the draft says something other than what is stored (blank space does not count). */
export function isChanged(draft: Draft, saved: SavedScore | undefined): boolean {
  const before = draftOf(saved);
  return (
    draft.level !== before.level ||
    draft.confidence !== before.confidence ||
    draft.notes.trim() !== before.notes.trim() ||
    draft.evidenceText.trim() !== before.evidenceText.trim() ||
    draft.links.length !== before.links.length ||
    draft.links.some((link, i) => link.trim() !== before.links[i])
  );
}

/** Why a link cannot be evidence, or null when it can: a whole http(s) address. */
export function linkIssue(link: string): string | null {
  const text = link.trim();
  if (!text) return "Give the address, or remove the link";
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "That is not a web address: it should start with http:// or https://";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return "Evidence links are web addresses starting with http:// or https://";
  if (!url.hostname) return "The address has no host name";
  return null;
}

/** Field → message for the form: the links' own issues, before anything is sent. */
export function draftIssues(draft: Draft): Record<string, string> {
  const issues: Record<string, string> = {};
  draft.links.forEach((link, i) => {
    const issue = linkIssue(link);
    if (issue) issues[`evidenceLinks.${i}`] = issue;
  });
  return issues;
}

export function scoreInput(dimensionKey: string, draft: Draft): ScoreInput {
  return {
    dimensionKey,
    level: draft.level,
    confidence: draft.confidence,
    notes: draft.notes.trim(),
    evidenceText: draft.evidenceText.trim(),
    evidenceLinks: draft.links.map((link) => link.trim()),
  };
}

/**
 * The server's messages for a one-score save, by the form's field names:
 * "scores.0.evidenceLinks.1" (zod) and "scores[0].level" (the domain's checks)
 * both become "evidenceLinks.1" / "level".
 */
export function serverIssues(
  zodFields: Record<string, string | undefined>,
  inputIssues: readonly { path: string; message: string }[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  const add = (path: string, message: string | undefined) => {
    const field = /^scores(?:\.0|\[0\])\.?(.*)$/.exec(path)?.[1];
    if (field && message) out[field.replace(/\[(\d+)\]/g, ".$1")] ??= message;
  };
  for (const [path, message] of Object.entries(zodFields)) add(path, message);
  for (const issue of inputIssues) add(issue.path, issue.message);
  return out;
}

/** Why a file cannot be attached, or null: the types and size the server accepts. */
export function fileIssue(file: { name: string; size: number }): string | null {
  const type = attachmentType(file.name);
  if ("issue" in type) return type.issue;
  if (file.size === 0) return `“${file.name}” is empty`;
  if (file.size > MAX_ATTACHMENT_BYTES)
    return `“${file.name}” is ${formatBytes(file.size)}; evidence files can be at most ${formatBytes(MAX_ATTACHMENT_BYTES)}`;
  return null;
}

/** 1536 → "1.5 KB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** An indicator's reading as shown: "62.5%", "41 days". */
export function formatIndicator(unit: IndicatorUnit, value: number): string {
  if (!Number.isFinite(value)) return "never";
  if (unit === "percent") return `${value.toLocaleString("en-GB", { maximumFractionDigits: 1 })}%`;
  const days = Math.round(value);
  return `${days.toLocaleString("en-GB")} ${days === 1 ? "day" : "days"}`;
}

/** "Level 3 · Integrated" (or just "Level 3" for a level the model does not name). */
export function levelLabel(levels: readonly { level: number; name: string }[], level: number): string {
  const name = levels.find((l) => l.level === level)?.name;
  return name ? `Level ${level} · ${name}` : `Level ${level}`;
}

/** The reviewer's choice for a dimension in the finalise dialog: keep the consensus, a level, or unscored. */
export type ReviewChoice = "consensus" | "none" | `${number}`;

/**
 * The overrides finalise takes: only the dimensions whose choice differs from
 * the consensus, so that "keep" never pins a level by accident.
 */
export function overridesOf(
  choices: Readonly<Record<string, ReviewChoice>>,
  consensus: Readonly<Record<string, number | null>>,
): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [key, choice] of Object.entries(choices)) {
    if (choice === "consensus") continue;
    const level = choice === "none" ? null : Number(choice);
    if (level !== (consensus[key] ?? null)) out[key] = level;
  }
  return out;
}

/** Base64 of a file's bytes, for maturity.attachment.upload. */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk)
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}
