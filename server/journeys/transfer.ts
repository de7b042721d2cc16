import "server-only";
import { z } from "zod";
import type { DbOrTx } from "~/db";
import { InvalidInputError } from "~/server/errors";
import { formatDesignPath, InvalidDesignError, parseDesign, type JourneyDesign } from "./design";
import {
  createJourney,
  getJourney,
  MAX_JOURNEY_NAME,
  type JourneyReader,
  takenNames,
  ZJourneyDescription,
  ZJourneyName,
} from "./store";

// A journey as a JSON file, to move a design between workspaces or keep it
// outside Centric. Only the draft (for a reader of published versions, the
// latest version) travels: versions, comments and the segment
// stay behind, and the importer picks the segment it is for.

export const JOURNEY_FILE_FORMAT = "centric.journey";
export const JOURNEY_FILE_VERSION = 1;

export interface JourneyFile {
  format: typeof JOURNEY_FILE_FORMAT;
  formatVersion: typeof JOURNEY_FILE_VERSION;
  name: string;
  description: string;
  /** The segment it was designed for, for the reader: an import does not look it up. */
  segment: { name: string };
  design: JourneyDesign;
  exportedAt: string;
}

export async function exportJourney(
  db: DbOrTx,
  input: { workspaceId: string; id: string; now?: Date } & JourneyReader,
): Promise<JourneyFile> {
  const journey = await getJourney(db, input);
  return {
    format: JOURNEY_FILE_FORMAT,
    formatVersion: JOURNEY_FILE_VERSION,
    name: journey.name,
    description: journey.description,
    segment: { name: journey.segment.name },
    design: journey.draft,
    exportedAt: (input.now ?? new Date()).toISOString(),
  };
}

// Loose on purpose: a file from a later release may carry fields this one does not know.
const ZJourneyFile = z.object({
  format: z.literal(
    JOURNEY_FILE_FORMAT,
    `must be "${JOURNEY_FILE_FORMAT}": this is not a Centric journey file`,
  ),
  formatVersion: z.literal(
    JOURNEY_FILE_VERSION,
    `must be ${JOURNEY_FILE_VERSION}: this file was written by a release of Centric that this one cannot read`,
  ),
  name: ZJourneyName,
  description: ZJourneyDescription,
  segment: z.object({ name: z.string() }).optional(),
  design: z.unknown(),
  exportedAt: z.string().optional(),
});

function refused(summary: string, issues: { path: string; message: string }[]): never {
  const listed = issues.slice(0, 5).map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  throw new InvalidInputError(`${summary}: ${listed.join("; ")}`, issues);
}

/** Reads a journey file (parsed, or its text), or says where it is wrong. */
export function readJourneyFile(file: unknown) {
  let content = file;
  if (typeof file === "string") {
    try {
      content = JSON.parse(file);
    } catch (error) {
      refused("The file is not JSON", [{ path: "", message: (error as Error).message }]);
    }
  }
  const parsed = ZJourneyFile.safeParse(content);
  if (!parsed.success) {
    refused(
      "The file cannot be imported",
      parsed.error.issues.map((issue) => ({ path: formatDesignPath(issue.path), message: issue.message })),
    );
  }
  try {
    return { ...parsed.data, design: parseDesign(parsed.data.design) };
  } catch (error) {
    if (!(error instanceof InvalidDesignError)) throw error;
    refused(
      "The journey in the file is not valid",
      error.issues.map((issue) => ({
        path: issue.path ? `design.${issue.path}` : "design",
        message: issue.message,
      })),
    );
  }
}

/** `name`, or "name (imported)", "name (imported 2)", ... whichever is free. */
export function freeName(name: string, taken: ReadonlySet<string>): string {
  const fit = (suffix: string) => `${name.slice(0, MAX_JOURNEY_NAME - suffix.length).trimEnd()}${suffix}`;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? name : fit(n === 2 ? " (imported)" : ` (imported ${n - 1})`);
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

/** Creates a journey for `segmentId` from a journey file; nothing is stored if the file is wrong. */
export async function importJourney(
  db: DbOrTx,
  input: { workspaceId: string; userId: string; segmentId: string; file: unknown },
) {
  const file = readJourneyFile(input.file);
  const name = freeName(file.name, await takenNames(db, input.workspaceId, input.segmentId));
  const created = await createJourney(db, {
    workspaceId: input.workspaceId,
    userId: input.userId,
    segmentId: input.segmentId,
    name,
    description: file.description,
    design: file.design,
  });
  return { ...created, name };
}
