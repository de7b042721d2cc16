"use client";

import Link from "next/link";
import { useEffect } from "react";
import { Button } from "~/app/_components/ui";

/**
 * The controls above the printable journey, left off the paper. Opened from
 * the Export menu with `autoPrint`, it opens the browser's print dialog (where
 * "Save as PDF" is) as soon as the document is on screen.
 */
export function PrintToolbar({ backHref, autoPrint }: { backHref: string; autoPrint: boolean }) {
  useEffect(() => {
    if (autoPrint) window.print();
  }, [autoPrint]);

  return (
    <div className="no-print mx-auto mb-4 flex max-w-[210mm] flex-wrap items-center justify-between gap-3">
      <Link href={backHref} className="text-brand-700 text-sm hover:underline">
        Back to the journey
      </Link>
      <div className="flex items-center gap-3">
        <p className="text-sm text-slate-600">Choose “Save as PDF” as the printer for a PDF file.</p>
        <Button onClick={() => window.print()}>Print or save as PDF</Button>
      </div>
    </div>
  );
}
