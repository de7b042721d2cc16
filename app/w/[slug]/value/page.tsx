import type { Metadata } from "next";
import { ValueOverview } from "./_components/overview";

export const metadata: Metadata = { title: "Customer value" };

export default function CustomerValuePage() {
  return <ValueOverview />;
}
