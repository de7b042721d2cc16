import type { ReactNode } from "react";
import { Button } from "~/app/_components/ui";

// A list of rows of fields (property filters, yearly periods): each row can be
// removed, and "+ Noun" adds one up to a limit.

export function EditableList<T>({
  items,
  onChange,
  noun,
  max,
  min = 0,
  newItem,
  children,
}: {
  items: readonly T[];
  onChange: (items: T[]) => void;
  /** What a row is, in lower case ("property filter"): it names each row and its buttons. */
  noun: string;
  max: number;
  /** Rows that cannot be removed (a list that must not be empty). */
  min?: number;
  newItem: () => T;
  /** The fields of one row. */
  children: (item: T, index: number) => ReactNode;
}) {
  const full = items.length >= max;
  const Noun = noun[0]!.toUpperCase() + noun.slice(1);
  return (
    <div className="w-full space-y-2" data-editable-list="">
      {items.map((item, index) => (
        <div
          key={index}
          role="group"
          aria-label={`${Noun} ${index + 1}`}
          className="flex flex-wrap items-end gap-2 border-l-2 border-slate-200 pl-3"
        >
          {children(item, index)}
          {items.length > min && (
            <Button
              variant="ghost"
              className="px-2 py-1.5"
              aria-label={`Remove ${noun} ${index + 1}`}
              onClick={(event) => {
                onChange(items.filter((_, i) => i !== index));
                // The button goes away with its row: keep focus in the list.
                const container = event.currentTarget.closest("[data-editable-list]");
                requestAnimationFrame(() => container?.querySelector<HTMLElement>("[data-add-row]")?.focus());
              }}
            >
              Remove
            </Button>
          )}
        </div>
      ))}
      <Button
        variant="ghost"
        className="px-2 py-1 text-xs"
        data-add-row=""
        disabled={full}
        title={full ? `At most ${max} ${noun}s` : undefined}
        onClick={() => onChange([...items, newItem()])}
      >
        + {Noun}
        {full ? ` (at most ${max})` : ""}
      </Button>
    </div>
  );
}
