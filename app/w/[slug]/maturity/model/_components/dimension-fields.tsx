import { Alert, Button, controlProps, Field } from "~/app/_components/ui";
import type { DraftDimension, ModelDraft } from "./draft";
import { DimensionLevelFields } from "./dimension-level-fields";
import type { ModelIssues } from "./model-issues";

/** One dimension of the model: its name, key and description, and what is true at each level. */
export function DimensionFields({
  id,
  d,
  dimension,
  levels,
  setDimension,
  onRemove,
  issues,
}: {
  id: string;
  /** The dimension's index: its fields' ids and its problems' paths. */
  d: number;
  dimension: DraftDimension;
  levels: ModelDraft["levels"];
  setDimension: (change: (d: DraftDimension) => DraftDimension) => void;
  /** Absent for the last dimension: a model keeps at least one. */
  onRemove?: () => void;
  issues: ModelIssues;
}) {
  const base = `dimensions[${d}]`;
  const title = dimension.name.trim() || `Dimension ${d + 1}`;
  const dimensionIssue = issues.at(base) ?? issues.at(`${base}.levels`);
  return (
    <fieldset className="space-y-3 rounded-md border border-slate-200 p-4">
      <legend className="px-1 font-medium text-slate-900">{title}</legend>
      <div className="flex justify-end">
        <Button variant="danger" disabled={!onRemove} onClick={onRemove}>
          Remove dimension<span className="sr-only"> “{title}”</span>
        </Button>
      </div>
      {dimensionIssue && <Alert>{dimensionIssue}</Alert>}
      <div className="grid gap-3 md:grid-cols-2">
        <Field id={`${id}-d${d}-name`} label="Name" error={issues.at(`${base}.name`)}>
          <input
            {...controlProps(`${id}-d${d}-name`, { error: issues.at(`${base}.name`) })}
            value={dimension.name}
            onChange={(e) => setDimension((x) => ({ ...x, name: e.target.value }))}
          />
        </Field>
        <Field
          id={`${id}-d${d}-key`}
          label="Key"
          hint={
            dimension.added
              ? "Names the dimension in scores and exports: lower-case letters, digits and -."
              : "The key stays, so scores and indicators keep their dimension."
          }
          error={issues.at(`${base}.key`)}
        >
          <input
            {...controlProps(`${id}-d${d}-key`, { error: issues.at(`${base}.key`), hasHint: true })}
            value={dimension.key}
            readOnly={!dimension.added}
            onChange={(e) => setDimension((x) => ({ ...x, key: e.target.value }))}
          />
        </Field>
      </div>
      <Field id={`${id}-d${d}-description`} label="Description" error={issues.at(`${base}.description`)}>
        <textarea
          {...controlProps(`${id}-d${d}-description`, { error: issues.at(`${base}.description`) })}
          rows={2}
          value={dimension.description}
          onChange={(e) => setDimension((x) => ({ ...x, description: e.target.value }))}
        />
      </Field>
      {dimension.levels.map((cell, c) => {
        const cellPath = `${base}.levels[${c}]`;
        return (
          <DimensionLevelFields
            key={cell.level}
            id={id}
            d={d}
            c={c}
            cell={cell}
            levelName={levels.find((l) => l.level === cell.level)?.name ?? ""}
            cellPath={cellPath}
            setCell={(change) =>
              setDimension((x) => ({
                ...x,
                levels: x.levels.map((y, k) => (k === c ? { ...y, ...change } : y)),
              }))
            }
            issues={issues}
          />
        );
      })}
    </fieldset>
  );
}
