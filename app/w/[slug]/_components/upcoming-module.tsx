import { Card, PageHeader } from "~/app/_components/ui";
import type { Pillar } from "../pillars";

/** The page of a module that has not landed yet: what it is for and what will appear here. */
export function UpcomingModule({ pillar }: { pillar: Pillar }) {
  return (
    <div>
      <PageHeader title={pillar.title} description={pillar.summary} />
      <Card className="max-w-3xl p-6">
        <h2 className="font-medium">What will appear here</h2>
        <p className="mt-1 text-sm text-slate-600">
          This module is not part of this version of Centric yet. When it arrives, this page will hold:
        </p>
        <ul className="mt-3 list-disc space-y-1 pl-5 text-sm text-slate-700">
          {pillar.upcoming.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
