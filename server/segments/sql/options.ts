import type { SQL } from "drizzle-orm";

// What a rule tree compiles against (./rule-tree.ts): the workspace, the
// moment windows end at, the shape of the SQL and what is known beforehand.
// Types only, so that callers and pure modules may name them.

/** The membership condition of another segment over `customers c`; throws RuleError for unknown ids and cycles. */
export type SegmentResolver = (segmentId: string) => SQL;

export type RuleShape = "customers" | "workspace";

export interface CompileOptions {
  workspaceId: string;
  now: Date;
  /**
   * Evaluate the rule as it stood at this moment (the size history,
   * ../history.ts): only events before it count, windows end at it (`now` is
   * it), the customer row's event summaries are counted from those events, and
   * only customers seen or created before it are candidates. Traits and value
   * figures have no history and are read as they are now. The customer streams
   * summarise every event, so they are not read.
   */
  asOf?: Date;
  resolveSegment?: SegmentResolver;
  /** "customers" (default) for a few customers at a time, "workspace" for counting or listing a whole workspace. */
  shape?: RuleShape;
  thresholds?: ValueThresholds;
  /** How many customers an AND's further sets test one by one (default FEW_TO_TEST_ONE_BY_ONE); tests set 0 to take the hashed way. */
  oneByOneUpTo?: number;
  /** The workspace's customer_streams are built (../streams.ts): the workspace shape reads them where they answer. */
  streams?: boolean;
  /** A chain that starts with a count in a window up to this many days reads events (default SHORT_WINDOW_DAYS); tests set 0 to read streams. */
  shortWindowDays?: number;
}

/** Top / bottom N % thresholds known before compiling, by thresholdKey; null when no customer has the measure. */
export type ValueThresholds = ReadonlyMap<string, number | null>;

/** CompileOptions without the workspace (given apart) and with `now` defaulting to the present; see there. */
export type MatchOptions = Partial<Omit<CompileOptions, "workspaceId">>;
