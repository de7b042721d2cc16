import type { Metadata } from "next";
import { loadWorkspace } from "../../workspace";
import { OutboxList } from "./_components/outbox-list";

export const metadata: Metadata = { title: "Outbox" };

export default async function OutboxPage({ params }: { params: Promise<{ slug: string }> }) {
  await loadWorkspace((await params).slug);
  return <OutboxList />;
}
