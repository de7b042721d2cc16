import type { Metadata } from "next";
import Link from "next/link";
import { Card, PageHeader, RoleBadge } from "~/app/_components/ui";
import { can, roleDescriptions } from "~/server/permissions";
import { pillars } from "./pillars";
import { loadWorkspace } from "./workspace";

export const metadata: Metadata = { title: "Dashboard" };

export default async function DashboardPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace, api } = await loadWorkspace(slug);
  const members = await api.member.list({ workspaceId: workspace.id });
  const countOf = (role: string) => members.filter((member) => member.role === role).length;
  const canManage = can(workspace.role, "members:manage");

  return (
    <div className="space-y-6">
      <PageHeader
        title={workspace.name}
        description={workspace.description || "A business unit or brand in Centric."}
      />

      <div className="grid gap-4 lg:grid-cols-3">
        <Card className="p-5">
          <h2 className="text-sm font-medium text-slate-500">Your role</h2>
          <p className="mt-2 flex items-center gap-2">
            <RoleBadge role={workspace.role} />
          </p>
          <p className="mt-2 text-sm text-slate-600">{roleDescriptions[workspace.role]}.</p>
        </Card>
        <Card className="p-5">
          <h2 className="text-sm font-medium text-slate-500">Team</h2>
          <p className="mt-2 text-3xl font-semibold">{members.length}</p>
          <p className="text-sm text-slate-600">
            {(["admin", "editor", "viewer"] as const)
              .map((role) => `${countOf(role)} ${role}${countOf(role) === 1 ? "" : "s"}`)
              .join(" · ")}
          </p>
          <Link
            href={`/w/${workspace.slug}/settings/members`}
            className="text-brand-700 mt-3 inline-block text-sm hover:underline"
          >
            {canManage ? "Manage members" : "See members"}
          </Link>
        </Card>
        <Card className="p-5">
          <h2 className="text-sm font-medium text-slate-500">Getting started</h2>
          <ol className="mt-2 list-decimal space-y-1 pl-5 text-sm text-slate-700">
            <li>Invite marketing, IT and executive colleagues with the right role.</li>
            <li>Assess where this business unit stands on the maturity journey.</li>
            <li>Connect event sources so every customer&apos;s history comes together.</li>
            <li>Define segments and design a journey for each.</li>
          </ol>
        </Card>
      </div>

      <section aria-labelledby="pillars-heading">
        <h2 id="pillars-heading" className="mb-3 text-lg font-semibold">
          Maturity, journeys and customers
        </h2>
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-5">
          {pillars.map((pillar) => (
            <Card key={pillar.path} className="flex flex-col p-5">
              <h3 className="font-medium">{pillar.title}</h3>
              <p className="mt-1 flex-1 text-sm text-slate-600">{pillar.summary}</p>
              <Link
                href={`/w/${workspace.slug}/${pillar.path}`}
                className="text-brand-700 mt-3 text-sm hover:underline"
              >
                Open {pillar.title}
              </Link>
            </Card>
          ))}
        </div>
      </section>
    </div>
  );
}
