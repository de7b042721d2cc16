import type { Metadata } from "next";
import { Suspense } from "react";
import { LoadingRows, PageHeader } from "~/app/_components/ui";
import { CustomerList } from "./_components/customer-list";

export const metadata: Metadata = { title: "Customers" };

export default function CustomersPage() {
  return (
    <div>
      <PageHeader
        title="Customers"
        description="Every profile with its cross-channel history. Search by name, email or any identifier; open a customer for the whole story."
      />
      <Suspense fallback={<LoadingRows rows={8} label="Loading the customers" />}>
        <CustomerList />
      </Suspense>
    </div>
  );
}
