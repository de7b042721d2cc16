import type { Metadata } from "next";
import { headers } from "next/headers";
import { Alert } from "~/app/_components/ui";
import { env } from "~/server/env";
import { requestOrigin } from "~/server/http/request-origin";
import { can } from "~/server/permissions";
import { loadWorkspace } from "../../workspace";
import { CreateWriteKeyForm } from "./_components/create-write-key-form";
import { FirstEvent } from "./_components/first-event";
import { ReadKeys } from "./_components/read-keys";
import { RefusedMessages } from "./_components/refused-messages";
import { WriteKeysTable } from "./_components/write-keys-table";

export const metadata: Metadata = { title: "API keys" };

/** The address this browser reached Centric at, so the examples work when pasted as they are. */
async function pageOrigin() {
  return requestOrigin(await headers(), env().NEXTAUTH_URL ?? `http://localhost:${env().PORT}`);
}

export default async function ApiKeysPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  const origin = await pageOrigin();
  if (!can(workspace.role, "settings:manage")) {
    return (
      <div className="space-y-8">
        <Alert tone="info">
          Only admins manage API keys. Your role in {workspace.name} is {workspace.role}; ask an admin for a
          write key if you need to send events.
        </Alert>
        <FirstEvent origin={origin} canManage={false} />
      </div>
    );
  }
  return (
    <div className="space-y-8">
      <CreateWriteKeyForm />
      <WriteKeysTable />
      <RefusedMessages />
      <FirstEvent origin={origin} canManage />
      <ReadKeys origin={origin} />
    </div>
  );
}
