import { DataTable, SectionCard } from "~/app/_components/ui";
import type { MaturityModel } from "~/server/maturity/model";

/** The model as people read it: the levels in short, then each dimension level by level with its evidence. */
export function ModelView({ model }: { model: MaturityModel }) {
  return (
    <div className="space-y-6">
      <SectionCard
        id="model-levels"
        title="Levels"
        description="A dimension is at a level when what that level describes, and everything below it, is true today."
      >
        <DataTable
          caption={`The levels of ${model.name}`}
          columns={[{ label: "Level" }, { label: "In short" }]}
        >
          <tbody className="divide-y divide-slate-100">
            {model.levels.map((level) => (
              <tr key={level.level} className="align-top">
                <th
                  scope="row"
                  className="py-2 pr-4 pl-4 font-medium whitespace-nowrap text-slate-900 sm:pl-0"
                >
                  {level.level} {level.name}
                </th>
                <td className="py-2 pr-4 text-slate-700 sm:pr-0">{level.summary}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      </SectionCard>
      {model.dimensions.map((dimension) => (
        <SectionCard
          key={dimension.key}
          id={`dimension-${dimension.key}`}
          title={dimension.name}
          description={dimension.description}
        >
          <DataTable
            caption={`${dimension.name} by level`}
            columns={[
              { label: "Level" },
              { label: "What is true" },
              { label: "Evidence an assessor would see" },
            ]}
          >
            <tbody className="divide-y divide-slate-100">
              {dimension.levels.map((cell) => (
                <tr key={cell.level} className="align-top">
                  <th
                    scope="row"
                    className="py-2 pr-4 pl-4 font-medium whitespace-nowrap text-slate-900 sm:pl-0"
                  >
                    {cell.level} {model.levels.find((l) => l.level === cell.level)?.name}
                  </th>
                  <td className="max-w-xl py-2 pr-4 text-slate-700">{cell.descriptor}</td>
                  <td className="py-2 pr-4 text-slate-600 sm:pr-0">
                    {cell.evidence.length === 0 ? (
                      <span className="text-slate-500">No examples yet</span>
                    ) : (
                      <ul className="list-disc space-y-1 pl-4">
                        {cell.evidence.map((example) => (
                          <li key={example}>{example}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        </SectionCard>
      ))}
    </div>
  );
}
