import { Card, RoleBadge } from "~/app/_components/ui";
import { can, roleDescriptions } from "~/server/permissions";
import { loadWorkspace } from "../workspace";
import { formatDate } from "../_components/dates";
import { GeneralForm } from "./_components/general-form";

export default async function GeneralSettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  const canManage = can(workspace.role, "settings:manage");

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
      <Card aria-labelledby="general-heading" className="p-6">
        <h2 id="general-heading" className="text-lg font-semibold text-slate-900">
          General
        </h2>
        {canManage ? (
          <GeneralForm workspaceId={workspace.id} name={workspace.name} description={workspace.description} />
        ) : (
          <>
            <p className="mt-1 text-sm text-slate-600">Only admins can change these settings.</p>
            <dl className="mt-4 space-y-4">
              <div>
                <dt className="text-sm font-medium text-slate-700">Name</dt>
                <dd className="mt-1 text-sm text-slate-900">{workspace.name}</dd>
              </div>
              <div>
                <dt className="text-sm font-medium text-slate-700">Description</dt>
                <dd className="mt-1 text-sm whitespace-pre-line text-slate-900">
                  {workspace.description || <span className="text-slate-500">No description</span>}
                </dd>
              </div>
            </dl>
          </>
        )}
      </Card>

      <Card aria-labelledby="about-heading" className="p-6">
        <h2 id="about-heading" className="text-lg font-semibold text-slate-900">
          About this workspace
        </h2>
        <dl className="mt-4 space-y-4 text-sm">
          <div>
            <dt className="font-medium text-slate-700">Created</dt>
            <dd className="mt-1 text-slate-900">
              <time dateTime={workspace.createdAt.toISOString()}>{formatDate(workspace.createdAt)}</time>
            </dd>
          </div>
          <div>
            <dt className="font-medium text-slate-700">Address</dt>
            <dd className="mt-1 font-mono text-xs text-slate-900">/w/{workspace.slug}</dd>
          </div>
          <div>
            <dt className="font-medium text-slate-700">Your role</dt>
            <dd className="mt-1 space-y-1">
              <RoleBadge role={workspace.role} />
              <p className="text-slate-600">{roleDescriptions[workspace.role]}</p>
            </dd>
          </div>
        </dl>
      </Card>
    </div>
  );
}
