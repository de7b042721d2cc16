import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";
import centric from "./eslint-rules.js";

// The drizzle rules match the object a call is made on: `db.delete(...)`, `tx.update(...)`,
// `ctx.db.delete(...)` (matched by its last part) and `getDb().delete(...)`.
const drizzleObjectName = ["db", "tx", "ctx.db", "getDb"];

export default defineConfig(
  globalIgnores([
    ".next/",
    "node_modules/",
    "db/migrations/",
    ".data/",
    ".test-data/",
    "test-results/",
    "playwright-report/",
    "next-env.d.ts",
  ]),
  tseslint.configs.recommended,
  {
    name: "centric/typescript",
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        {
          argsIgnorePattern: "^_",
          varsIgnorePattern: "^_",
          caughtErrorsIgnorePattern: "^_",
          destructuredArrayIgnorePattern: "^_",
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    name: "centric/drizzle",
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName }],
    },
  },
  {
    name: "centric/boundaries",
    plugins: { centric },
    rules: { "centric/import-boundaries": "error" },
  },
  {
    name: "centric/store-modules",
    files: ["server/**/*.ts", "db/index.ts"],
    ignores: ["**/*.test.ts", "**/test-fixtures.ts"],
    rules: { "centric/server-only-first": "error" },
  },
  {
    // drizzle-kit loads db/schema.ts without the ~/ alias, and db/ sits below the domain:
    // it reaches pure modules by relative path only.
    name: "centric/db",
    files: ["db/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["~/server", "~/server/**"], message: "db/ imports pure modules by relative path." },
          ],
        },
      ],
    },
  },
  {
    // Domain modules are called by routers, never the other way round; the tRPC layer
    // (trpc.ts, root.ts, routers/, api/) and tests may import it.
    name: "centric/domain",
    files: ["server/**/*.ts"],
    ignores: ["server/trpc.ts", "server/root.ts", "server/routers/**", "server/api/**", "**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(~/server/|(\\.\\./)+)(routers(/.*)?|root|trpc)$",
              message:
                "Domain modules must not depend on the tRPC layer; shared types live in the domain (e.g. server/auth/session-user.ts).",
            },
          ],
        },
      ],
    },
  },
  {
    ...nextPlugin.configs["core-web-vitals"],
    name: "centric/next",
    // App Router only: there is no pages/ folder for no-html-link-for-pages to look in.
    settings: { next: { rootDir: "." } },
  },
  {
    ...reactHooks.configs.flat.recommended,
    name: "centric/react-hooks",
  },
);
