import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "~/app/_components/ui";
import { loadWorkspace } from "../../workspace";
import { ImportPage } from "./_components/import-page";

export const metadata: Metadata = { title: "Import data" };

export default async function ImportDataPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { workspace } = await loadWorkspace(slug);
  return (
    <div className="space-y-8">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600">
        <Link href={`/w/${workspace.slug}/customers`} className="hover:underline">
          Customers
        </Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">Import</span>
      </nav>
      <PageHeader
        title="Import data"
        description="Load customers and their history from CSV files: a row per customer (traits) or per event (purchases, visits, calls). Rows go through the same checks and identity rules as events sent to the API; importing a file again stores nothing twice."
      />
      <ImportPage />
    </div>
  );
}
