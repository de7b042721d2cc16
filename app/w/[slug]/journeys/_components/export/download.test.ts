import { describe, expect, it } from "vitest";
import { fileBaseName } from "./download";

describe("fileBaseName", () => {
  it("keeps an ordinary journey name", () => {
    expect(fileBaseName("Loyal weekly shoppers – winback")).toBe("Loyal weekly shoppers – winback");
  });

  it("replaces characters file systems refuse and tidies the ends", () => {
    expect(fileBaseName('  A/B: "new" <test>?  ')).toBe("A-B- -new- -test");
    expect(fileBaseName("..hidden")).toBe("hidden");
    expect(fileBaseName("tab\there")).toBe("tab-here");
  });

  it("is never empty and never too long", () => {
    expect(fileBaseName("///")).toBe("journey");
    expect(fileBaseName("   ")).toBe("journey");
    expect(fileBaseName("x".repeat(300))).toHaveLength(100);
  });
});
