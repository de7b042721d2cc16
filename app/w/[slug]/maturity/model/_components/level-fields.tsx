import { useFormContext, useWatch } from "react-hook-form";
import { controlProps, Field } from "~/app/_components/ui";
import type { ModelDraft } from "./draft";
import type { ModelIssues } from "./model-issues";

/** "Levels": the name and summary of each maturity level, shared by every dimension. */
export function LevelFields({
  id,
  issues,
}: {
  /** The editor's id prefix. */
  id: string;
  issues: ModelIssues;
}) {
  const { register, control } = useFormContext<ModelDraft>();
  const levels = useWatch({ control, name: "levels" });
  return (
    <fieldset className="space-y-3">
      <legend className="font-medium text-slate-900">Levels</legend>
      {levels.map((level, i) => (
        <div key={level.level} className="grid gap-3 md:grid-cols-[12rem_minmax(0,1fr)]">
          <Field
            id={`${id}-level-${i}-name`}
            label={`Level ${level.level} name`}
            error={issues.at(`levels[${i}].name`)}
          >
            <input
              {...controlProps(`${id}-level-${i}-name`, { error: issues.at(`levels[${i}].name`) })}
              {...register(`levels.${i}.name`)}
            />
          </Field>
          <Field
            id={`${id}-level-${i}-summary`}
            label={`Level ${level.level} summary`}
            error={issues.at(`levels[${i}].summary`)}
          >
            <textarea
              {...controlProps(`${id}-level-${i}-summary`, { error: issues.at(`levels[${i}].summary`) })}
              rows={2}
              {...register(`levels.${i}.summary`)}
            />
          </Field>
        </div>
      ))}
    </fieldset>
  );
}
