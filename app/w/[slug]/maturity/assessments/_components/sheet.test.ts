import { describe, expect, it } from "vitest";
import {
  draftIssues,
  draftOf,
  fileIssue,
  formatIndicator,
  isChanged,
  levelLabel,
  linkIssue,
  overridesOf,
  scoreInput,
  serverIssues,
  toBase64,
} from "./sheet";

const saved = {
  level: 3,
  confidence: "high" as const,
  notes: "Seen in the CRM",
  evidenceText: "Monthly report",
  evidenceLinks: ["https://example.com/report"],
};

describe("the assessor's draft", () => {
  it("starts from the saved score, or empty", () => {
    expect(draftOf(saved)).toEqual({
      level: 3,
      confidence: "high",
      notes: "Seen in the CRM",
      evidenceText: "Monthly report",
      links: ["https://example.com/report"],
    });
    expect(draftOf(undefined)).toEqual({
      level: null,
      confidence: null,
      notes: "",
      evidenceText: "",
      links: [],
    });
  });

  it("is changed by a new level, link or text, not by blank space", () => {
    const draft = draftOf(saved);
    expect(isChanged(draft, saved)).toBe(false);
    expect(isChanged({ ...draft, notes: "Seen in the CRM  " }, saved)).toBe(false);
    expect(isChanged({ ...draft, level: 4 }, saved)).toBe(true);
    expect(isChanged({ ...draft, links: [...draft.links, ""] }, saved)).toBe(true);
    expect(isChanged({ ...draft, links: ["https://example.com/other"] }, saved)).toBe(true);
    expect(isChanged(draftOf(undefined), undefined)).toBe(false);
  });

  it("is sent trimmed, as the dimension's score", () => {
    expect(
      scoreInput("recognition", { ...draftOf(saved), notes: " a note ", links: [" https://example.com/x "] }),
    ).toEqual({
      dimensionKey: "recognition",
      level: 3,
      confidence: "high",
      notes: "a note",
      evidenceText: "Monthly report",
      evidenceLinks: ["https://example.com/x"],
    });
  });
});

describe("evidence links", () => {
  it("accepts http and https addresses", () => {
    expect(linkIssue("https://intranet.example.com/report.pdf")).toBeNull();
    expect(linkIssue(" http://example.com ")).toBeNull();
  });

  it("refuses other schemes, fragments of text and blanks, saying why", () => {
    expect(linkIssue("ftp://example.com/file")).toMatch(/http:\/\/ or https:\/\//);
    expect(linkIssue("javascript:alert(1)")).toMatch(/http:\/\/ or https:\/\//);
    expect(linkIssue("example.com/report")).toMatch(/not a web address/);
    expect(linkIssue("  ")).toMatch(/remove the link/);
  });

  it("places each link's issue on its own field", () => {
    expect(draftIssues({ ...draftOf(undefined), links: ["https://ok.example", "nope", ""] })).toEqual({
      "evidenceLinks.1": expect.stringMatching(/not a web address/),
      "evidenceLinks.2": expect.stringMatching(/remove the link/),
    });
  });
});

describe("the server's issues", () => {
  it("are placed on the form's fields, from zod and from the domain's checks", () => {
    expect(
      serverIssues(
        { "scores.0.evidenceLinks.1": "Evidence links are web addresses", assessmentId: "ignored" },
        [{ path: "scores[0].level", message: "6 is not a level of this model (1 to 5)" }],
      ),
    ).toEqual({
      "evidenceLinks.1": "Evidence links are web addresses",
      level: "6 is not a level of this model (1 to 5)",
    });
  });
});

describe("evidence files", () => {
  it("accepts the documented types up to 5 MB", () => {
    expect(fileIssue({ name: "Report.PDF", size: 1000 })).toBeNull();
    expect(fileIssue({ name: "figures.xlsx", size: 5 * 1024 * 1024 })).toBeNull();
  });

  it("refuses other types, empty files and larger files, naming the file", () => {
    expect(fileIssue({ name: "setup.exe", size: 10 })).toMatch(/“setup.exe” is not a file type/);
    expect(fileIssue({ name: "empty.txt", size: 0 })).toBe("“empty.txt” is empty");
    expect(fileIssue({ name: "scan.png", size: 5 * 1024 * 1024 + 1 })).toBe(
      "“scan.png” is 5.0 MB; evidence files can be at most 5.0 MB",
    );
  });

  it("travel as base64 that decodes byte for byte", () => {
    const bytes = new Uint8Array(100_000).map((_, i) => (i * 37) % 256);
    const base64 = toBase64(bytes);
    expect(base64).toBe(Buffer.from(bytes).toString("base64"));
    expect(new Uint8Array(Buffer.from(base64, "base64"))).toEqual(bytes);
  });
});

describe("the finalise review", () => {
  it("sends only the dimensions whose level differs from the consensus", () => {
    expect(
      overridesOf(
        {
          recognition: "consensus",
          governance: "3",
          technology: "2",
          personalisation: "none",
          value: "none",
        },
        { recognition: 2, governance: 2, technology: 2, personalisation: 4, value: null },
      ),
    ).toEqual({ governance: 3, personalisation: null });
  });
});

describe("labels", () => {
  it("name levels and indicator readings", () => {
    const levels = [
      { level: 1, name: "Smart web site" },
      { level: 2, name: "Recognised" },
    ];
    expect(levelLabel(levels, 2)).toBe("Level 2 · Recognised");
    expect(levelLabel(levels, 5)).toBe("Level 5");
    expect(formatIndicator("percent", 62.53)).toBe("62.5%");
    expect(formatIndicator("days", 1)).toBe("1 day");
    expect(formatIndicator("days", 1234.4)).toBe("1,234 days");
    expect(formatIndicator("days", Infinity)).toBe("never");
  });
});
