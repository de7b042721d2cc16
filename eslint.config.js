import nextPlugin from "@next/eslint-plugin-next";
import drizzle from "eslint-plugin-drizzle";
import reactHooks from "eslint-plugin-react-hooks";
import { defineConfig, globalIgnores } from "eslint/config";
import tseslint from "typescript-eslint";

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
