import Link from "next/link";
import { EmptyState } from "~/app/_components/ui";

export default function CustomerNotFound() {
  return (
    <div className="max-w-2xl space-y-4">
      <EmptyState title="No such customer here">
        The link may be mistyped, or the customer belongs to another workspace.{" "}
        <Link href="." className="text-brand-700 underline">
          Back to the customers
        </Link>
      </EmptyState>
    </div>
  );
}
