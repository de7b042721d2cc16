import { cx } from "~/app/_components/ui";
import { checkDesign, type DesignCheck } from "~/server/journeys/checks";
import type { JourneyDesign, Stage, Touchpoint } from "~/server/journeys/design";
import { channelLabels, formatCount } from "../../../_components/channels";
import { formatDay, formatTimestamp } from "../../../_components/format";
import { splitSummary, teamNames } from "../canvas/flow-model";
import { describeCap, describeTiming, emotionLabels, formatHourRange } from "../grid/describe";

// A journey as a document to read, print or save as PDF: everything the grid
// shows, as text that a PDF keeps selectable, laid out for A4 paper.

export interface PrintedJourney {
  name: string;
  description: string;
  segment: { name: string; memberCount: number };
  owner: { name: string | null; email: string } | null;
  publishedVersion: number | null;
  hasUnpublishedChanges: boolean;
  draftUpdatedAt: Date | string;
  design: JourneyDesign;
}

/** "Version 3", or which draft this is. */
export function versionLabel(journey: Pick<PrintedJourney, "publishedVersion" | "hasUnpublishedChanges">) {
  if (journey.publishedVersion === null) return "Draft, not published yet";
  if (journey.hasUnpublishedChanges) return `Draft with changes since version ${journey.publishedVersion}`;
  return `Version ${journey.publishedVersion}`;
}

/** The rules that decide whether and when a touchpoint's message goes out, besides its timing. */
export function touchpointConditions(touchpoint: Touchpoint, design: JourneyDesign): string[] {
  const conditions: string[] = [];
  if (design.quietHours) {
    conditions.push(
      touchpoint.respectQuietHours
        ? `Held back in quiet hours (${formatHourRange(design.quietHours)})`
        : "Sent in quiet hours too",
    );
  }
  if (touchpoint.frequencyCap) conditions.push(describeCap(touchpoint.frequencyCap));
  if (touchpoint.bestChannel) {
    const order = [touchpoint.channel, ...touchpoint.bestChannel.fallback].map((c) => channelLabels[c]);
    conditions.push(
      `On the customer's best channel, else the first that reaches them of ${order.join(", ")}`,
    );
  }
  if (touchpoint.sendAtBestHour) conditions.push("At the customer's best hour, when they have one");
  conditions.push(
    touchpoint.actionEvent
      ? `Counts as acted on at “${touchpoint.actionEvent}”`
      : "Counts as acted on when the stage's goal is reached",
  );
  return conditions;
}

function Paragraphs({ label, text }: { label: string; text: string }) {
  if (!text.trim()) return null;
  return (
    <div>
      <dt className="font-medium text-slate-700">{label}</dt>
      <dd className="whitespace-pre-line">{text}</dd>
    </div>
  );
}

function List({ label, items }: { label: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <div>
      <dt className="font-medium text-slate-700">{label}</dt>
      <dd>
        <ul className="list-disc pl-5">
          {items.map((item, index) => (
            <li key={index}>{item}</li>
          ))}
        </ul>
      </dd>
    </div>
  );
}

function TouchpointRow({ touchpoint, design }: { touchpoint: Touchpoint; design: JourneyDesign }) {
  return (
    <tr className="break-inside-avoid border-t border-slate-200 align-top">
      <td className="py-2 pr-3 font-medium whitespace-nowrap">{channelLabels[touchpoint.channel]}</td>
      <td className="py-2 pr-3">
        <p className="font-medium">{touchpoint.title}</p>
        {touchpoint.content && <p className="whitespace-pre-line text-slate-700">{touchpoint.content}</p>}
        {touchpoint.link && <p className="break-all text-slate-600">{touchpoint.link}</p>}
        <p className="text-slate-600">Owner: {teamNames[touchpoint.ownerTeam]}</p>
      </td>
      <td className="py-2 pr-3">{describeTiming(touchpoint)}</td>
      <td className="py-2">
        <ul className="space-y-0.5">
          {touchpointConditions(touchpoint, design).map((condition) => (
            <li key={condition}>{condition}</li>
          ))}
        </ul>
      </td>
    </tr>
  );
}

function StageSection({ stage, index, design }: { stage: Stage; index: number; design: JourneyDesign }) {
  const goal = stage.goal
    ? `“${stage.goal.event}”${stage.goal.channel ? ` on ${channelLabels[stage.goal.channel]}` : ""}`
    : "None set";
  return (
    // On paper each stage after the first starts a page; a long one breaks between touchpoints.
    <section
      aria-labelledby={`stage-${stage.id}`}
      className={cx("mt-8 print:mt-6", index > 0 && "print:break-before-page")}
    >
      <h2
        id={`stage-${stage.id}`}
        className="break-after-avoid border-b border-slate-300 pb-1 text-lg font-semibold"
      >
        Stage {index + 1}: {stage.name}
      </h2>
      <dl className="mt-2 grid break-inside-avoid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-2 print:grid-cols-2">
        <div>
          <dt className="font-medium text-slate-700">Goal event</dt>
          <dd>{goal}</dd>
        </div>
        <div>
          <dt className="font-medium text-slate-700">Emotion</dt>
          <dd>{emotionLabels[stage.emotion]}</dd>
        </div>
        <Paragraphs label="Customer goal" text={stage.customerGoal} />
        <Paragraphs label="Doing" text={stage.doing} />
        <Paragraphs label="Thinking" text={stage.thinking} />
        <List label="Pain points" items={stage.painPoints} />
        <List label="Opportunities" items={stage.opportunities} />
      </dl>
      <h3 className="mt-4 break-after-avoid text-sm font-semibold">
        Touchpoints ({formatCount(stage.touchpoints.length)})
      </h3>
      {stage.touchpoints.length === 0 ? (
        <p className="text-sm text-slate-600">No touchpoints in this stage.</p>
      ) : (
        <div className="overflow-x-auto print:overflow-visible">
          <table className="mt-1 w-full min-w-[36rem] text-left text-sm print:min-w-0 print:text-xs">
            <thead>
              <tr className="text-slate-600">
                <th scope="col" className="pr-3 font-medium">
                  Channel
                </th>
                <th scope="col" className="w-[38%] pr-3 font-medium">
                  Message
                </th>
                <th scope="col" className="pr-3 font-medium">
                  Timing
                </th>
                <th scope="col" className="font-medium">
                  Conditions
                </th>
              </tr>
            </thead>
            <tbody>
              {stage.touchpoints.map((touchpoint) => (
                <TouchpointRow key={touchpoint.id} touchpoint={touchpoint} design={design} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ChecksSection({ checks }: { checks: DesignCheck[] }) {
  return (
    <section aria-labelledby="checks" className="mt-6 break-inside-avoid">
      <h2 id="checks" className="text-lg font-semibold">
        Checks
      </h2>
      {checks.length === 0 ? (
        <p className="text-sm">No problems found: every stage has a goal and no messages collide.</p>
      ) : (
        <ul className="mt-1 list-disc space-y-1 pl-5 text-sm">
          {checks.map((check) => (
            <li key={check.id}>{check.message}</li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DecisionsSection({
  design,
  segmentNames,
}: {
  design: JourneyDesign;
  segmentNames: ReadonlyMap<string, string>;
}) {
  const branches = design.flow.nodes.filter((node) => node.kind === "branch");
  const exits = design.flow.nodes.filter((node) => node.kind === "exit");
  if (branches.length === 0 && exits.length === 0) return null;
  return (
    <section aria-labelledby="decisions" className="mt-8 break-inside-avoid">
      <h2 id="decisions" className="border-b border-slate-300 pb-1 text-lg font-semibold">
        Branches and exits
      </h2>
      <ul className="mt-2 list-disc space-y-1 pl-5 text-sm">
        {branches.map((branch) => (
          <li key={branch.id}>
            <span className="font-medium">{branch.label}</span>: {splitSummary(branch.split, segmentNames)}
          </li>
        ))}
        {exits.map((exit) => (
          <li key={exit.id}>
            Exit: <span className="font-medium">{exit.label}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function JourneyDocument({
  journey,
  segmentNames,
  printedAt,
}: {
  journey: PrintedJourney;
  segmentNames: ReadonlyMap<string, string>;
  printedAt: Date;
}) {
  const { design } = journey;
  const touchpoints = design.stages.reduce((sum, stage) => sum + stage.touchpoints.length, 0);
  return (
    <article className="mx-auto max-w-[210mm] bg-white p-6 text-slate-900 shadow-sm ring-1 ring-slate-200 sm:p-10 print:max-w-none print:p-0 print:shadow-none print:ring-0">
      <header className="border-b-2 border-slate-800 pb-3">
        <p className="text-xs tracking-wide text-slate-600 uppercase">Customer journey</p>
        <h1 className="text-2xl font-bold">{journey.name}</h1>
        {journey.description && (
          <p className="mt-1 whitespace-pre-line text-slate-700">{journey.description}</p>
        )}
        <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2 print:grid-cols-2">
          <div className="flex gap-2">
            <dt className="text-slate-600">Segment</dt>
            <dd>
              {journey.segment.name} ({formatCount(journey.segment.memberCount)}{" "}
              {journey.segment.memberCount === 1 ? "member" : "members"})
            </dd>
          </div>
          <div className="flex gap-2">
            <dt className="text-slate-600">Version</dt>
            <dd>{versionLabel(journey)}</dd>
          </div>
          <div className="flex gap-2">
            <dt className="text-slate-600">Last changed</dt>
            <dd>{formatTimestamp(new Date(journey.draftUpdatedAt).toISOString())}</dd>
          </div>
          <div className="flex gap-2">
            <dt className="text-slate-600">Printed</dt>
            <dd>{formatDay(printedAt.toISOString())}</dd>
          </div>
          {journey.owner && (
            <div className="flex gap-2">
              <dt className="text-slate-600">Owner</dt>
              <dd>{journey.owner.name ?? journey.owner.email}</dd>
            </div>
          )}
          <div className="flex gap-2">
            <dt className="text-slate-600">Quiet hours</dt>
            <dd>{design.quietHours ? formatHourRange(design.quietHours) : "None"}</dd>
          </div>
        </dl>
        <p className="mt-2 text-sm text-slate-700">
          {formatCount(design.stages.length)} {design.stages.length === 1 ? "stage" : "stages"},{" "}
          {formatCount(touchpoints)} {touchpoints === 1 ? "touchpoint" : "touchpoints"}
        </p>
      </header>
      <ChecksSection checks={checkDesign(design)} />
      {design.stages.map((stage, index) => (
        <StageSection key={stage.id} stage={stage} index={index} design={design} />
      ))}
      <DecisionsSection design={design} segmentNames={segmentNames} />
    </article>
  );
}
