import type { Metadata } from "next";
import { Suspense } from "react";
import { ButtonLink, LoadingRows, PageHeader } from "~/app/_components/ui";
import { can } from "~/server/permissions";
import { CustomerList } from "../_components/customer-list";
import { loadWorkspace } from "../workspace";

export const metadata: Metadata = { title: "Customers" };

export default async function CustomersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  // Viewers may read the imports' history, not start one.
  const canImport = can(workspace.role, "content:write");
  return (
    <div>
      <PageHeader
        title="Customers"
        description="Every profile with its cross-channel history. Search by name, email or any identifier; open a customer for the whole story."
        actions={
          <ButtonLink href={`/w/${slug}/customers/import`} variant="secondary">
            {canImport ? "Import data" : "Imports"}
          </ButtonLink>
        }
      />
      <Suspense fallback={<LoadingRows rows={8} label="Loading the customers" />}>
        <CustomerList />
      </Suspense>
    </div>
  );
}
