/** The problems found in the model, by path in the definition ("dimensions[2].levels[0].descriptor"). */
export interface ModelIssues {
  /** The problem at exactly this path. */
  at: (path: string) => string | undefined;
  /** The first problem at or under this path. */
  in: (path: string) => string | undefined;
}
