import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "./env";
import { loadOrCreateSecrets, SECRETS_FILE } from "./secrets";

let dataDir: string;
let savedSecret: string | undefined;

beforeEach(() => {
  // A folder that does not exist yet, inside one that does: the first start creates it.
  dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "centric-secrets-")), "data");
  savedSecret = process.env.NEXTAUTH_SECRET;
  delete process.env.NEXTAUTH_SECRET;
  resetEnvCache();
});

afterEach(() => {
  if (savedSecret === undefined) delete process.env.NEXTAUTH_SECRET;
  else process.env.NEXTAUTH_SECRET = savedSecret;
  resetEnvCache();
  fs.rmSync(path.dirname(dataDir), { recursive: true, force: true });
});

describe("loadOrCreateSecrets", () => {
  it("generates a secret on first start and keeps it across starts", () => {
    const first = loadOrCreateSecrets(dataDir);
    expect(first.source).toBe("generated");
    expect(first.secrets.NEXTAUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(first.file).toBe(path.join(dataDir, SECRETS_FILE));

    const second = loadOrCreateSecrets(dataDir);
    expect(second.source).toBe("file");
    expect(second.secrets.NEXTAUTH_SECRET).toBe(first.secrets.NEXTAUTH_SECRET);
    // No temporary files are left behind.
    expect(fs.readdirSync(dataDir)).toEqual([SECRETS_FILE]);
  });

  it("generates a different secret for another data folder", () => {
    const other = path.join(path.dirname(dataDir), "other");
    expect(loadOrCreateSecrets(other).secrets.NEXTAUTH_SECRET).not.toBe(
      loadOrCreateSecrets(dataDir).secrets.NEXTAUTH_SECRET,
    );
  });

  it("writes the file readable by its owner only", () => {
    const { file } = loadOrCreateSecrets(dataDir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("tightens a secrets file that others can read", () => {
    const { file, secrets } = loadOrCreateSecrets(dataDir);
    fs.chmodSync(file, 0o644);
    expect(loadOrCreateSecrets(dataDir).secrets).toEqual(secrets);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it("uses NEXTAUTH_SECRET from the environment and leaves the data folder alone", () => {
    process.env.NEXTAUTH_SECRET = "s".repeat(40);
    resetEnvCache();
    const loaded = loadOrCreateSecrets(dataDir);
    expect(loaded.source).toBe("environment");
    expect(loaded.secrets.NEXTAUTH_SECRET).toBe("s".repeat(40));
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it("prefers the environment over an existing file", () => {
    const stored = loadOrCreateSecrets(dataDir).secrets.NEXTAUTH_SECRET;
    process.env.NEXTAUTH_SECRET = "e".repeat(40);
    resetEnvCache();
    expect(loadOrCreateSecrets(dataDir).secrets.NEXTAUTH_SECRET).toBe("e".repeat(40));
    // The stored secret is kept for when the variable is unset again.
    delete process.env.NEXTAUTH_SECRET;
    resetEnvCache();
    expect(loadOrCreateSecrets(dataDir).secrets.NEXTAUTH_SECRET).toBe(stored);
  });

  it("refuses a damaged secrets file with a message that names it, instead of replacing it", () => {
    fs.mkdirSync(dataDir, { recursive: true });
    const file = path.join(dataDir, SECRETS_FILE);
    fs.writeFileSync(file, "{ not json", { mode: 0o600 });
    expect(() => loadOrCreateSecrets(dataDir)).toThrow(file);
    fs.writeFileSync(file, JSON.stringify({ NEXTAUTH_SECRET: "short" }));
    expect(() => loadOrCreateSecrets(dataDir)).toThrow(/no valid NEXTAUTH_SECRET/);
    expect(fs.readFileSync(file, "utf8")).toContain("short");
  });
});
