import type { ReactNode } from "react";
import { controlProps, Options } from "~/app/_components/ui";

// The pieces the mapping step's fieldsets share: a select's value names a
// column ("col:Total"), a value for every row (FIXED, "fixed:store"), or nothing (NONE).

export const FIXED = "__fixed__";
export const NONE = "";

export function SelectField({
  id,
  label,
  hint,
  required,
  value,
  onChange,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  required?: boolean;
  value: string;
  onChange: (value: string) => void;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
        {required && <span className="text-red-700"> *</span>}
      </label>
      <select
        {...controlProps(id, { hasHint: Boolean(hint) })}
        required={required}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      >
        {children}
      </select>
      {hint && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
    </div>
  );
}

export function ColumnOptions({ columns }: { columns: string[] }) {
  return (
    <>
      <Options items={columns} value={(c) => `col:${c}`} label={(c) => c} />
    </>
  );
}

export const column = (value: string) => (value.startsWith("col:") ? value.slice(4) : null);
