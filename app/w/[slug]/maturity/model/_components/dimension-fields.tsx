import { useFormContext, useWatch } from "react-hook-form";
import { Alert, Button, controlProps, Field } from "~/app/_components/ui";
import type { ModelDraft } from "./draft";
import { DimensionLevelFields } from "./dimension-level-fields";
import type { ModelIssues } from "./model-issues";

/** One dimension of the model: its name, key and description, and what is true at each level. */
export function DimensionFields({
  id,
  d,
  levels,
  onRemove,
  issues,
}: {
  id: string;
  /** The dimension's index: its fields' names and ids, and its problems' paths. */
  d: number;
  /** The model's levels, whose names label the dimension's. */
  levels: ModelDraft["levels"];
  /** Absent for the last dimension: a model keeps at least one. */
  onRemove?: () => void;
  issues: ModelIssues;
}) {
  const { register, control } = useFormContext<ModelDraft>();
  const dimension = useWatch({ control, name: `dimensions.${d}` });
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
            {...register(`dimensions.${d}.name`)}
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
            {...register(`dimensions.${d}.key`)}
            readOnly={!dimension.added}
          />
        </Field>
      </div>
      <Field id={`${id}-d${d}-description`} label="Description" error={issues.at(`${base}.description`)}>
        <textarea
          {...controlProps(`${id}-d${d}-description`, { error: issues.at(`${base}.description`) })}
          rows={2}
          {...register(`dimensions.${d}.description`)}
        />
      </Field>
      {dimension.levels.map((cell, c) => (
        <DimensionLevelFields
          key={cell.level}
          id={id}
          d={d}
          c={c}
          level={cell.level}
          levelName={levels.find((l) => l.level === cell.level)?.name ?? ""}
          issues={issues}
        />
      ))}
    </fieldset>
  );
}
