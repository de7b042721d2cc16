import Link from "next/link";
import { Card, RoleBadge } from "~/app/_components/ui";
import type { Role } from "~/db/enums";
import { can, roleDescriptions } from "~/server/permissions";
import { pillars } from "../pillars";

// Shown while the workspace has no customer data: where to start, each step
// a link to the page that does it.

export function DashboardGettingStarted({ slug, role }: { slug: string; role: Role }) {
  const base = `/w/${slug}`;
  const canWrite = can(role, "content:write");
  const steps = [
    {
      href: `${base}/settings/members`,
      text: can(role, "members:manage")
        ? "Invite marketing, IT and executive colleagues with the right role."
        : "See who else works in this workspace.",
    },
    { href: `${base}/maturity`, text: "Assess where this business unit stands on the maturity journey." },
    {
      href: canWrite ? `${base}/customers/import` : `${base}/customers`,
      text: "Connect event sources or import a file, so every customer's history comes together.",
    },
    { href: `${base}/segments`, text: "Define segments, and design a journey for each." },
  ];
  return (
    <Card aria-labelledby="getting-started-heading" className="p-5">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h2 id="getting-started-heading" className="text-lg font-semibold text-slate-900">
          Getting started
        </h2>
        <p className="flex items-center gap-2 text-sm text-slate-600">
          Your role <RoleBadge role={role} />
        </p>
      </div>
      <p className="mt-1 text-sm text-slate-600">
        No customer data has reached this workspace yet. {roleDescriptions[role]}.
      </p>
      <ol className="mt-3 list-decimal space-y-1 pl-5 text-sm text-slate-700">
        {steps.map((step) => (
          <li key={step.href}>
            <Link href={step.href} className="text-brand-700 hover:underline">
              {step.text}
            </Link>
          </li>
        ))}
      </ol>
      <ul className="mt-4 grid gap-3 sm:grid-cols-2 xl:grid-cols-5">
        {pillars.map((pillar) => (
          <li key={pillar.path} className="rounded-md border border-slate-200 p-3">
            <Link href={`${base}/${pillar.path}`} className="text-brand-700 font-medium hover:underline">
              {pillar.title}
            </Link>
            <p className="mt-1 text-sm text-slate-600">{pillar.summary}</p>
          </li>
        ))}
      </ul>
    </Card>
  );
}
