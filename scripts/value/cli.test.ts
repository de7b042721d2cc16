import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

// scripts/value.ts as data staff run it: a child process, stdout parsed as the result.

const root = path.join(import.meta.dirname, "../..");
const cdnow = "test/data/cdnow/CDNOW_sample.txt";
const cdnowArgs = [
  "--transactions",
  cdnow,
  "--calibration-end",
  "1997-09-30",
  "--delimiter",
  "whitespace",
  "--no-header",
  "--customer-col",
  "1",
  "--date-col",
  "3",
  "--amount-col",
  "5",
];

async function runValue(args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "scripts/value.ts", ...args],
      { cwd: root, maxBuffer: 64 * 1024 * 1024 },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "centric-value-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
function file(name: string, text: string) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

/** Splits CSV output into its `#` lines and its table (no quoted commas in these tests). */
function parseCsv(stdout: string) {
  const lines = stdout.trimEnd().split("\n");
  const comments = lines.filter((l) => l.startsWith("#"));
  const [header, ...rows] = lines.filter((l) => !l.startsWith("#"));
  return { comments, header: header!.split(","), rows: rows.map((r) => r.split(",")) };
}

describe("npm run value", { timeout: 60_000 }, () => {
  it("fits CDNOW and prints JSON with the published parameters and 2,357 customers", async () => {
    const { code, stdout, stderr } = await runValue([...cdnowArgs, "--format", "json"]);
    expect(code).toBe(0);
    expect(stderr).toContain("BG/NBD r=0.2426");
    const result = JSON.parse(stdout);
    expect(result.customers).toHaveLength(2357);
    expect(result.counts).toEqual({
      rows: 6919,
      transactions: 4960,
      ignoredAfterCalibrationEnd: 1959,
      customers: 2357,
    });
    expect(result.bgnbd.r).toBeCloseTo(0.243, 3);
    expect(result.bgnbd.alpha).toBeCloseTo(4.414, 3);
    expect(result.bgnbd.a).toBeCloseTo(0.793, 3);
    expect(result.bgnbd.b).toBeCloseTo(2.426, 3);
    expect(result.bgnbd.logLikelihood).toBeCloseTo(-9582.43, 1);
    expect(result.bgnbd.converged).toBe(true);
    expect(result.gammaGamma.p).toBeCloseTo(6.25, 2);
    expect(result.gammaGamma.q).toBeCloseTo(3.74, 2);
    expect(result.gammaGamma.gamma).toBeCloseTo(15.44, 2);
    const first = result.customers[0];
    expect(first).toMatchObject({ id: "00004", x: 2, t_x: 30.4286, T: 38.8571 });
    for (const key of ["p_alive", "expected_purchases", "expected_spend", "clv"])
      expect(first[key]).toBeGreaterThan(0);
    expect(Object.keys(result.clvByRfmGroup)).toContain("champions");
  });

  it("prints CSV by default: parameters as # lines, then one row per customer", async () => {
    const { code, stdout } = await runValue([...cdnowArgs, "--horizon-weeks", "39", "--discount-rate", "0"]);
    expect(code).toBe(0);
    const { comments, header, rows } = parseCsv(stdout);
    expect(comments.join("\n")).toMatch(/# bgnbd r=0\.2425\d* alpha=4\.413\d*/);
    expect(comments.join("\n")).toMatch(/# gamma_gamma p=6\.249\d*/);
    expect(header).toEqual([
      "id",
      "x",
      "t_x",
      "T",
      "p_alive",
      "expected_purchases",
      "expected_spend",
      "clv",
      "rfm_recency",
      "rfm_frequency",
      "rfm_monetary",
      "rfm_group",
    ]);
    expect(rows).toHaveLength(2357);
    // Without discounting, CLV = expected purchases × expected spend.
    const [, , , , , purchases, spend, clv] = rows[0]!.map(Number);
    expect(clv).toBeCloseTo(purchases! * spend!, 2);
  });

  it("fits BG/NBD only when the file has no amount column", async () => {
    const log = file(
      "no-amount.csv",
      "customer,date\na,2024-01-01\na,2024-01-20\nb,2024-01-03\nc,20240110\nc,20240111\n",
    );
    const { code, stdout, stderr } = await runValue([
      "--transactions",
      log,
      "--calibration-end",
      "2024-02-01",
    ]);
    expect(code).toBe(0);
    expect(stderr).toContain("No amount column");
    const { comments, rows } = parseCsv(stdout);
    expect(comments.join("\n")).toContain("# gamma_gamma not fitted");
    expect(rows.map((r) => [r[0], r[1], r[6], r[7]])).toEqual([
      ["a", "1", "", ""],
      ["b", "0", "", ""],
      ["c", "1", "", ""],
    ]);
  });

  it("names the problem and exits non-zero on bad input", async () => {
    const cases: [string[], number, RegExp][] = [
      [
        [
          "--transactions",
          file("d.csv", "customer_id,date\na,2024-01-01\nb,01/02/2024\n"),
          "--calibration-end",
          "2024-03-01",
        ],
        1,
        /line 3: cannot read the date "01\/02\/2024"/,
      ],
      [
        ["--transactions", file("c.csv", "who,when\na,2024-01-01\n"), "--calibration-end", "2024-03-01"],
        1,
        /No customer column .*Its columns are: who, when/,
      ],
      [
        [
          "--transactions",
          file("m.csv", "customer_id,date\na,2024-01-01\n"),
          "--calibration-end",
          "2024-03-01",
          "--amount-col",
          "price",
        ],
        1,
        /Column "price" \(--amount-col\) is not in the header/,
      ],
      [
        [
          "--transactions",
          file("l.csv", "customer_id,date\na,2024-05-01\n"),
          "--calibration-end",
          "2024-03-01",
        ],
        1,
        /No transactions on or before the calibration end 2024-03-01/,
      ],
      [
        [
          "--transactions",
          file("a.csv", "id,date,amount\na,2024-01-01,ten\n"),
          "--calibration-end",
          "2024-03-01",
        ],
        1,
        /line 2: the amount "ten"/,
      ],
      [
        ["--transactions", path.join(dir, "missing.csv"), "--calibration-end", "2024-03-01"],
        1,
        /no such file/,
      ],
      [
        ["--transactions", cdnow, "--calibration-end", "1997-09-31"],
        2,
        /--calibration-end "1997-09-31" is not a date/,
      ],
      [
        ["--transactions", cdnow, "--calibration-end", "1997-09-30", "--no-header"],
        2,
        /--no-header needs --customer-col and --date-col/,
      ],
    ];
    for (const [args, exitCode, message] of cases) {
      const { code, stdout, stderr } = await runValue(args);
      expect({ args, code }).toEqual({ args, code: exitCode });
      expect(stderr).toMatch(message);
      expect(stdout).toBe("");
    }
  });
});
