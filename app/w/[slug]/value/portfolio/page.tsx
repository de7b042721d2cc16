import type { Metadata } from "next";
import { Portfolio } from "../_components/portfolio";

export const metadata: Metadata = { title: "Customer portfolio" };

export default function CustomerPortfolioPage() {
  return <Portfolio />;
}
