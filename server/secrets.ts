import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { env } from "./env";

// ---------------------------------------------------------------------------
// Secrets that `npm start` must not ask a first-time user for. NEXTAUTH_SECRET
// signs the session cookies: it is generated once, kept in the data folder
// (readable by its owner only) and reused, so sessions survive a restart.
// A value set in the environment always wins and leaves the file alone.
// ---------------------------------------------------------------------------

export const SECRETS_FILE = "secrets.json";

const repairHint = "Fix it, or delete it to generate a new secret (everyone will have to sign in again).";

export interface Secrets {
  NEXTAUTH_SECRET: string;
}

export interface LoadedSecrets {
  secrets: Secrets;
  /** Where the values came from: the environment, the data folder's file, or generated just now. */
  source: "environment" | "file" | "generated";
  file: string;
}

export function generateSecret() {
  return crypto.randomBytes(48).toString("base64url");
}

function readSecretsFile(file: string): Secrets {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`Could not read ${file}: ${(error as Error).message}. ${repairHint}`);
  }
  const secret = (parsed as Partial<Secrets> | null)?.NEXTAUTH_SECRET;
  if (typeof secret !== "string" || secret.length < 32) {
    throw new Error(
      `${file} has no valid NEXTAUTH_SECRET (a string of 32 characters or more). ${repairHint}`,
    );
  }
  // Tighten a file that was copied or edited with a looser mode.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return { NEXTAUTH_SECRET: secret };
}

/** Writes `secrets` to `file` unless it already exists; returns whichever secrets the file holds afterwards. */
function createSecretsFile(file: string, secrets: Secrets): { secrets: Secrets; created: boolean } {
  // Write a complete temporary file, then link it into place: the link fails if
  // another process got there first, so nobody ever reads a half-written file
  // and two first starts cannot end up with different secrets.
  const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  const fd = fs.openSync(temporary, "wx", 0o600);
  try {
    fs.writeSync(fd, `${JSON.stringify(secrets, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(temporary, file);
    return { secrets, created: true };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return { secrets: readSecretsFile(file), created: false };
  } finally {
    fs.rmSync(temporary, { force: true });
  }
}

/**
 * The app's secrets: from the environment when set there, else from
 * `<dataDir>/secrets.json`, generating that file (mode 0600) on first use.
 */
export function loadOrCreateSecrets(dataDir: string): LoadedSecrets {
  const file = path.join(dataDir, SECRETS_FILE);
  const fromEnv = env().NEXTAUTH_SECRET;
  if (fromEnv) return { secrets: { NEXTAUTH_SECRET: fromEnv }, source: "environment", file };

  if (fs.existsSync(file)) return { secrets: readSecretsFile(file), source: "file", file };

  // Private, but not its parents: `recursive` would give every folder it creates the same mode.
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  if (!fs.existsSync(dataDir)) fs.mkdirSync(dataDir, { mode: 0o700 });
  const { secrets, created } = createSecretsFile(file, { NEXTAUTH_SECRET: generateSecret() });
  return { secrets, source: created ? "generated" : "file", file };
}
