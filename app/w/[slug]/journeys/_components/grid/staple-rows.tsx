import type { ReactNode } from "react";
import type { Stage } from "~/server/journeys/design";
import { EmotionCurve } from "./emotion-curve";
import { AddColumnFiller, cellClass, rowHeaderClass, STAGE_COLUMN_WIDTH } from "./grid-layout";
import type { PatchStage } from "./grid-model";
import { GoalField, ListField, NoteField } from "./stage-fields";

const MAX_LIST_ITEMS = 20;

/** One staple row: its label, then a cell per stage. */
function StapleRow({
  label,
  stages,
  canEdit,
  render,
}: {
  label: string;
  stages: Stage[];
  canEdit: boolean;
  render: (stage: Stage) => ReactNode;
}) {
  return (
    <tr>
      <th scope="row" className={rowHeaderClass}>
        {label}
      </th>
      {stages.map((stage) => (
        <td key={stage.id} className={cellClass}>
          {render(stage)}
        </td>
      ))}
      <AddColumnFiller show={canEdit} />
    </tr>
  );
}

/**
 * The journey-mapping staples under the stage headers: the stage's goal, the
 * customer's goal, doing and thinking, the emotion curve, pain points and opportunities.
 */
export function StapleRows({ stages, patchStage }: { stages: Stage[]; patchStage: PatchStage }) {
  const canEdit = Boolean(patchStage);
  const stapleRow = (label: string, render: (stage: Stage) => ReactNode) => (
    <StapleRow label={label} stages={stages} canEdit={canEdit} render={render} />
  );
  return (
    <>
      {stapleRow("Goal", (stage) => (
        <GoalField
          stageId={stage.id}
          stageName={stage.name}
          goal={stage.goal}
          onChange={patchStage ? (goal) => patchStage(stage.id)({ goal }) : undefined}
        />
      ))}
      {stapleRow("Customer goal", (stage) => (
        <NoteField
          id={`customer-goal-${stage.id}`}
          label={`Customer goal at ${stage.name}`}
          placeholder="What the customer wants here"
          value={stage.customerGoal}
          onChange={patchStage ? (customerGoal) => patchStage(stage.id)({ customerGoal }) : undefined}
        />
      ))}
      {stapleRow("Doing", (stage) => (
        <NoteField
          id={`doing-${stage.id}`}
          label={`What the customer does at ${stage.name}`}
          placeholder="What the customer does"
          value={stage.doing}
          onChange={patchStage ? (doing) => patchStage(stage.id)({ doing }) : undefined}
        />
      ))}
      {stapleRow("Thinking", (stage) => (
        <NoteField
          id={`thinking-${stage.id}`}
          label={`What the customer thinks at ${stage.name}`}
          placeholder="What the customer thinks"
          value={stage.thinking}
          onChange={patchStage ? (thinking) => patchStage(stage.id)({ thinking }) : undefined}
        />
      ))}
      <tr>
        <th scope="row" className={rowHeaderClass}>
          Emotion
        </th>
        <td colSpan={stages.length} className="border-r border-b border-slate-200 p-0 align-top">
          <EmotionCurve
            stages={stages}
            columnWidth={STAGE_COLUMN_WIDTH}
            onChange={patchStage ? (stageId, emotion) => patchStage(stageId)({ emotion }) : undefined}
          />
        </td>
        <AddColumnFiller show={canEdit} />
      </tr>
      {stapleRow("Pain points", (stage) => (
        <ListField
          id={`pain-${stage.id}`}
          noun="pain point"
          stageName={stage.name}
          items={stage.painPoints}
          max={MAX_LIST_ITEMS}
          onChange={patchStage ? (painPoints) => patchStage(stage.id)({ painPoints }) : undefined}
        />
      ))}
      {stapleRow("Opportunities", (stage) => (
        <ListField
          id={`opportunity-${stage.id}`}
          noun="opportunity"
          stageName={stage.name}
          items={stage.opportunities}
          max={MAX_LIST_ITEMS}
          onChange={patchStage ? (opportunities) => patchStage(stage.id)({ opportunities }) : undefined}
        />
      ))}
    </>
  );
}
