import { useFormContext } from "react-hook-form";
import { controlProps, Field } from "~/app/_components/ui";
import type { ModelDraft } from "./draft";
import type { ModelIssues } from "./model-issues";

/** One level of a dimension: what is true at that level, and examples of evidence for it. */
export function DimensionLevelFields({
  id,
  d,
  c,
  level,
  levelName,
  issues,
}: {
  id: string;
  /** The dimension's and the level's index: the fields' names and ids, and their problems' paths. */
  d: number;
  c: number;
  level: number;
  levelName: string;
  issues: ModelIssues;
}) {
  const { register } = useFormContext<ModelDraft>();
  const cellPath = `dimensions[${d}].levels[${c}]`;
  return (
    <div className="grid gap-3 md:grid-cols-2">
      <Field
        id={`${id}-d${d}-c${c}-descriptor`}
        label={`Level ${level} ${levelName}: what is true`}
        error={issues.at(`${cellPath}.descriptor`) ?? issues.at(`${cellPath}.level`)}
      >
        <textarea
          {...controlProps(`${id}-d${d}-c${c}-descriptor`, {
            error: issues.at(`${cellPath}.descriptor`) ?? issues.at(`${cellPath}.level`),
          })}
          rows={3}
          {...register(`dimensions.${d}.levels.${c}.descriptor`)}
        />
      </Field>
      <Field
        id={`${id}-d${d}-c${c}-evidence`}
        label={`Level ${level} evidence examples`}
        hint="One example a line."
        error={issues.in(`${cellPath}.evidence`)}
      >
        <textarea
          {...controlProps(`${id}-d${d}-c${c}-evidence`, {
            error: issues.in(`${cellPath}.evidence`),
            hasHint: true,
          })}
          rows={3}
          {...register(`dimensions.${d}.levels.${c}.evidenceText`)}
        />
      </Field>
    </div>
  );
}
