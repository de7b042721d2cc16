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

  it("--model pnbd and mbgnbd score with that model; the JSON names it", async () => {
    const pnbd = await runValue([...cdnowArgs, "--format", "json", "--model", "pnbd"]);
    expect(pnbd.code).toBe(0);
    expect(pnbd.stderr).toContain("Pareto/NBD r=0.5533 alpha=10.5777 s=0.6062 beta=11.6687");
    const result = JSON.parse(pnbd.stdout);
    expect(result.model).toBe("pnbd");
    expect(result.bgnbd).toBeUndefined();
    expect(result.pnbd.logLikelihood).toBeCloseTo(-9594.9762, 3);
    expect(result.modelComparison).toBeNull();
    // A one-time buyer: certainly alive under BG/NBD, not under Pareto/NBD or MBG/NBD.
    const oneTime = result.customers.find((c: { x: number }) => c.x === 0);
    expect(oneTime.p_alive).toBeLessThan(1);

    const mbgnbd = await runValue([...cdnowArgs, "--model", "mbgnbd"]);
    expect(mbgnbd.code).toBe(0);
    const { comments, rows } = parseCsv(mbgnbd.stdout);
    expect(comments.join("\n")).toMatch(/# mbgnbd r=0\.5248\d* alpha=6\.183\d* a=0\.8913\d* b=1\.614\d*/);
    const zero = rows.find((r) => r[1] === "0")!;
    expect(Number(zero[4])).toBeLessThan(0.5);
  });

  it("--model auto compares the three on the later rows, prints the table and uses the best", async () => {
    const { code, stdout, stderr } = await runValue([...cdnowArgs, "--model", "auto"]);
    expect(code).toBe(0);
    expect(stderr).toContain("models compared on the holdout 1997-10-01..1998-06-30 (39.0 weeks)");
    expect(stderr).toContain("| BG/NBD | -9582.43 | 19172.86 | 19195.92 | 0.7855 | 2.63 % | 1653.4 |");
    expect(stderr).toContain("| **Pareto/NBD** | -9594.98 |");
    const { comments, rows } = parseCsv(stdout);
    const text = comments.join("\n");
    expect(text).toMatch(/^# pnbd r=0\.5532/m);
    expect(text.match(/^# model_comparison model=(\w+)/gm)).toEqual([
      "# model_comparison model=bgnbd",
      "# model_comparison model=mbgnbd",
      "# model_comparison model=pnbd",
    ]);
    expect(text).toMatch(/^# model_choice chosen=pnbd rule="lowest holdout MAE/m);
    expect(rows).toHaveLength(2357);

    // A shorter holdout is a choice of its own.
    const short = await runValue([
      ...cdnowArgs,
      "--model",
      "auto",
      "--holdout-end",
      "1997-12-31",
      "--format",
      "json",
    ]);
    expect(short.code).toBe(0);
    const comparison = JSON.parse(short.stdout).modelComparison;
    expect(comparison.holdoutWeeks).toBeCloseTo(92 / 7, 10);
    expect(comparison.models.map((m: { model: string }) => m.model)).toEqual(["bgnbd", "mbgnbd", "pnbd"]);
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
      [[...cdnowArgs, "--model", "pareto"], 2, /--model "pareto": use bgnbd, mbgnbd, pnbd or auto/],
      [[...cdnowArgs, "--holdout-end", "1998-06-30"], 2, /--holdout-end is for --model auto/],
      [
        [...cdnowArgs, "--model", "auto", "--holdout-end", "1997-09-01"],
        2,
        /--holdout-end "1997-09-01" must be after the calibration end/,
      ],
      [
        [
          ...cdnowArgs.slice(0, 2),
          "--calibration-end",
          "1998-06-30",
          ...cdnowArgs.slice(4),
          "--model",
          "auto",
        ],
        1,
        /--model auto compares the models on the transactions after the calibration end, and .* has none/,
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
