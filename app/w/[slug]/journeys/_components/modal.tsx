"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { cx } from "~/app/_components/ui";

/**
 * A modal dialog on the native <dialog>: the browser keeps focus inside it,
 * closes it with Escape and returns focus to what opened it. Its content
 * mounts only while it is open, so a form in it starts afresh each time.
 */
export function Modal({
  id: givenId,
  title,
  description,
  open,
  onClose,
  wide = false,
  children,
}: {
  /** Prefix of the title's and description's ids; one is made when not given. */
  id?: string;
  title: string;
  description?: ReactNode;
  open: boolean;
  onClose: () => void;
  wide?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const madeId = useId();
  const id = givenId ?? madeId;
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-description` : undefined}
      onClose={onClose}
      className={cx(
        "m-auto max-h-[90vh] w-[calc(100%-2rem)] overflow-y-auto rounded-lg border border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40",
        wide ? "max-w-2xl" : "max-w-md",
      )}
    >
      {open && (
        <div className="p-5">
          <h2 id={`${id}-title`} className="text-lg font-semibold text-slate-900">
            {title}
          </h2>
          {description && (
            <p id={`${id}-description`} className="mt-1 text-sm text-slate-600">
              {description}
            </p>
          )}
          <div className="mt-4">{children}</div>
        </div>
      )}
    </dialog>
  );
}
