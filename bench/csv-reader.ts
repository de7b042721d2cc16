// The CSV reader alone (server/imports/csv.ts, csv-parse underneath): CPU per
// row and rows a second for a generated events file of --rows rows (quoted
// names with commas, amounts, ISO dates: what an order export looks like), in
// UTF-8 and in Windows-1252, against the same run's baseline of splitting the
// same file into lines with readline (no fields, no quotes, no offsets).
// Each figure is the median of --runs runs; CPU time, so that other work on
// the machine counts less than in wall time.
//
//   node --import tsx bench/csv-reader.ts [--rows 150000] [--runs 5]

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { readCsvRecords } from "~/server/imports/csv";
import type { Encoding } from "~/server/imports/options";
import { args, fmt, machine, runMain, stats } from "./lib";

const a = args();
const ROWS = a.num("rows", 150_000);
const RUNS = a.num("runs", 5);

function writeFile(dir: string, encoding: "utf8" | "latin1") {
  const file = path.join(dir, `orders-${encoding}.csv`);
  const lines = ["customer,name,when,total,note"];
  for (let i = 0; i < ROWS; i++) {
    const day = String(1 + (i % 28)).padStart(2, "0");
    lines.push(
      `c-${i % 20_000},"Müller, Zoë ${i % 97}",2025-03-${day}T10:${String(i % 60).padStart(2, "0")}:00Z,${(i % 500) + 0.99},${i % 7 === 0 ? '"gift, wrapped"' : ""}`,
    );
  }
  fs.writeFileSync(file, `${lines.join("\n")}\n`, encoding);
  return file;
}

/** CPU milliseconds of one call, the median of RUNS. */
async function cpuMedian(run: () => Promise<number>) {
  const samples: number[] = [];
  let count = 0;
  for (let i = 0; i < RUNS; i++) {
    const before = process.cpuUsage();
    count = await run();
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / 1000);
  }
  return { ms: stats(samples).p50, count };
}

const readRecords = (file: string, encoding: Encoding) => async () => {
  let rows = 0;
  for await (const record of readCsvRecords(file, { delimiter: ",", encoding }))
    rows += record.fields.length > 0 ? 1 : 0;
  return rows;
};

const readLines = (file: string) => async () => {
  let rows = 0;
  for await (const line of readline.createInterface({
    input: fs.createReadStream(file),
    crlfDelay: Infinity,
  })) {
    rows += line.length > 0 ? 1 : 0;
  }
  return rows;
};

async function main() {
  console.log(`machine: ${machine()}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "centric-csv-bench-"));
  try {
    const utf8 = writeFile(dir, "utf8");
    const latin1 = writeFile(dir, "latin1");
    console.log(
      `file: ${fmt(ROWS)} rows + header, ${(fs.statSync(utf8).size / 1e6).toFixed(1)} MB; median of ${RUNS} runs, CPU time`,
    );
    const baseline = await cpuMedian(readLines(utf8));
    const line = (label: string, r: { ms: number; count: number }) =>
      console.log(
        `${label.padEnd(34)} ${r.ms.toFixed(0).padStart(5)} ms CPU = ${((r.ms * 1000) / r.count).toFixed(2)} µs/row = ${fmt(r.count / (r.ms / 1000))} rows/s of a core` +
          (r === baseline ? "" : ` (${(r.ms / baseline.ms).toFixed(1)}× the baseline)`),
      );
    line("baseline: readline, lines only", baseline);
    line("readCsvRecords, UTF-8", await cpuMedian(readRecords(utf8, "utf-8")));
    line("readCsvRecords, Windows-1252", await cpuMedian(readRecords(latin1, "windows-1252")));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
