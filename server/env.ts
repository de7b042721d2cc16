import path from "node:path";
import { z } from "zod";
import { parseTrustedProxies } from "~/server/http/client-address";

// ---------------------------------------------------------------------------
// The one place that reads process.env. A missing or malformed value stops
// start-up with a message that names the variable and says what is expected.
// ---------------------------------------------------------------------------

const postgresUrl = z
  .string()
  .trim()
  .refine((value) => /^postgres(ql)?:\/\/.+/.test(value), {
    message: "must be a PostgreSQL URL such as postgres://user:password@host:5432/centric",
  });

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** A PostgreSQL 15+ server. When unset, Centric runs its embedded PostgreSQL server in the data folder. */
  DATABASE_URL: postgresUrl.optional(),
  /** Folder for the embedded database and the generated secrets. */
  CENTRIC_DATA_DIR: z.string().trim().min(1).default(".data"),
  /** URL of the embedded database server, set by the launcher (scripts/start.ts), never by hand. */
  CENTRIC_EMBEDDED_URL: postgresUrl.optional(),
  NEXTAUTH_SECRET: z
    .string()
    .min(32, "must be at least 32 characters (generate one with: openssl rand -base64 48)")
    .optional(),
  NEXTAUTH_URL: z.url("must be the public URL of the app, such as http://localhost:3000").optional(),
  PORT: z.coerce.number().int().min(1).max(65535, "must be a TCP port (1-65535)").default(3000),
  HOST: z.string().trim().min(1).default("0.0.0.0"),
  /**
   * Comma-separated addresses of reverse proxies in front of Centric whose
   * X-Forwarded-For it believes. Empty: the socket's address is the client's.
   */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((value, context) => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        context.addIssue({
          code: "custom",
          message: `must be IP addresses separated by commas (${(error as Error).message})`,
        });
        return z.NEVER;
      }
    }),
  /**
   * Tracking API: messages a second each write key may send on average (0: no limit), and how
   * many at once after a quiet spell. Twice the fastest single-key ingestion measured
   * (docs/benchmarks.md#ingestion), so only a runaway sender meets them.
   */
  CENTRIC_TRACKING_RATE: z.coerce.number().int().min(0, "must be 0 (no limit) or more").default(20_000),
  CENTRIC_TRACKING_BURST: z.coerce.number().int().min(1, "must be at least 1").default(40_000),
  /** Profile API requests a second per read key (0 for no limit), and at once (docs/profiles-api.md). */
  CENTRIC_PROFILE_RATE: z.coerce.number().int().min(0, "must be 0 (no limit) or more").default(200),
  CENTRIC_PROFILE_BURST: z.coerce.number().int().min(1, "must be at least 1").default(400),
  /** bcrypt cost; lower it only for tests. */
  CENTRIC_BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
});

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {
  constructor(issues: z.core.$ZodIssue[]) {
    const lines = issues.map((issue) => `  ${issue.path.join(".") || "(env)"}: ${issue.message}`);
    super(`Invalid environment:\n${lines.join("\n")}`);
    this.name = "EnvError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  // Treat empty strings as unset, as shells and .env files often leave them.
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const result = schema.safeParse(cleaned);
  if (!result.success) throw new EnvError(result.error.issues);
  return result.data;
}

let cached: Env | undefined;

/** The validated environment, read once per process. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Forget the cached environment (the launcher changes process.env before the app loads). */
export function resetEnvCache() {
  cached = undefined;
}

export function dataDir(e: Env = env()) {
  return path.resolve(e.CENTRIC_DATA_DIR);
}
