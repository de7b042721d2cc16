"use client";

import { MAX_EMOTION, MIN_EMOTION, type Stage } from "~/server/journeys/design";
import { emotionLabels } from "./describe";

// The emotional journey: each stage's emotion score as a point, joined into a
// curve across the columns, with a select per stage to change it.

const scores = [2, 1, 0, -1, -2];
const HEIGHT = 96;
const PAD = 14;

function y(emotion: number) {
  return PAD + ((MAX_EMOTION - emotion) / (MAX_EMOTION - MIN_EMOTION)) * (HEIGHT - 2 * PAD);
}

/** A smooth path through the points: horizontal tangents at each point, so it never overshoots a score. */
export function curvePath(points: readonly { x: number; y: number }[]) {
  if (points.length === 0) return "";
  const [first, ...rest] = points;
  let path = `M ${first!.x} ${first!.y}`;
  let previous = first!;
  for (const point of rest) {
    const middle = (previous.x + point.x) / 2;
    path += ` C ${middle} ${previous.y}, ${middle} ${point.y}, ${point.x} ${point.y}`;
    previous = point;
  }
  return path;
}

function dotColor(emotion: number) {
  return emotion > 0 ? "#059669" : emotion < 0 ? "#e11d48" : "#64748b";
}

export function EmotionCurve({
  stages,
  columnWidth,
  onChange,
}: {
  stages: readonly Pick<Stage, "id" | "name" | "emotion">[];
  columnWidth: number;
  /** Absent: read-only. */
  onChange?: (stageId: string, emotion: number) => void;
}) {
  const width = stages.length * columnWidth;
  const points = stages.map((s, i) => ({ x: (i + 0.5) * columnWidth, y: y(s.emotion) }));
  const summary = stages.map((s) => `${s.name}: ${emotionLabels[s.emotion]}`).join("; ");
  return (
    <div>
      <svg
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label={`Emotion by stage. ${summary}`}
        className="block"
      >
        <line x1={0} x2={width} y1={y(0)} y2={y(0)} stroke="#cbd5e1" strokeDasharray="4 4" />
        <path d={curvePath(points)} fill="none" stroke="#6366f1" strokeWidth={2.5} />
        {points.map((p, i) => (
          <circle
            key={stages[i]!.id}
            cx={p.x}
            cy={p.y}
            r={6}
            fill={dotColor(stages[i]!.emotion)}
            stroke="white"
            strokeWidth={2}
          />
        ))}
      </svg>
      <div className="flex">
        {stages.map((stage) => (
          <div key={stage.id} style={{ width: columnWidth }} className="px-3 pb-1">
            {onChange ? (
              <>
                <label htmlFor={`emotion-${stage.id}`} className="sr-only">
                  Emotion at {stage.name}
                </label>
                <select
                  id={`emotion-${stage.id}`}
                  value={stage.emotion}
                  onChange={(event) => onChange(stage.id, Number(event.target.value))}
                  className="focus:border-brand-500 focus:ring-brand-500 block w-full rounded-md border border-slate-300 bg-white px-2 py-1 text-xs focus:ring-1 focus:outline-none"
                >
                  {scores.map((score) => (
                    <option key={score} value={score}>
                      {score > 0 ? `+${score}` : score} {emotionLabels[score]}
                    </option>
                  ))}
                </select>
              </>
            ) : (
              <p className="text-center text-xs text-slate-600">{emotionLabels[stage.emotion]}</p>
            )}
          </div>
        ))}
      </div>
    </div>
  );
}
