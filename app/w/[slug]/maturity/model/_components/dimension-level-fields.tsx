import { controlProps, Field } from "~/app/_components/ui";
import type { DraftCell } from "./draft";
import type { ModelIssues } from "./model-issues";

/** One level of a dimension: what is true at that level, and examples of evidence for it. */
export function DimensionLevelFields({
  id,
  d,
  c,
  cell,
  levelName,
  cellPath,
  setCell,
  issues,
}: {
  id: string;
  /** The dimension's and the level's index, for the fields' ids. */
  d: number;
  c: number;
  cell: DraftCell;
  levelName: string;
  /** The path of the cell in the definition, where its problems are found. */
  cellPath: string;
  setCell: (change: Partial<DraftCell>) => void;
  issues: ModelIssues;
}) {
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <Field
        id={`${id}-d${d}-c${c}-descriptor`}
        label={`Level ${cell.level} ${levelName}: what is true`}
        error={issues.at(`${cellPath}.descriptor`) ?? issues.at(`${cellPath}.level`)}
      >
        <textarea
          {...controlProps(`${id}-d${d}-c${c}-descriptor`, {
            error: issues.at(`${cellPath}.descriptor`) ?? issues.at(`${cellPath}.level`),
          })}
          rows={3}
          value={cell.descriptor}
          onChange={(e) => setCell({ descriptor: e.target.value })}
        />
      </Field>
      <Field
        id={`${id}-d${d}-c${c}-evidence`}
        label={`Level ${cell.level} evidence examples`}
        hint="One example a line."
        error={issues.in(`${cellPath}.evidence`)}
      >
        <textarea
          {...controlProps(`${id}-d${d}-c${c}-evidence`, {
            error: issues.in(`${cellPath}.evidence`),
            hasHint: true,
          })}
          rows={3}
          value={cell.evidenceText}
          onChange={(e) => setCell({ evidenceText: e.target.value })}
        />
      </Field>
    </div>
  );
}
