import Link from "next/link";
import { useId, type ComponentProps, type ReactNode } from "react";

// Small, accessible building blocks shared by every page. Keep them plain:
// pages compose them; they hold no data logic.

function cx(...classes: (string | false | null | undefined)[]) {
  return classes.filter(Boolean).join(" ");
}

const buttonStyles = {
  primary: "bg-brand-600 text-white hover:bg-brand-700 disabled:bg-brand-600/50",
  secondary: "border border-slate-300 bg-white text-slate-800 hover:bg-slate-50 disabled:text-slate-400",
  danger: "border border-red-200 bg-white text-red-700 hover:bg-red-50 disabled:text-red-300",
  ghost: "text-slate-700 hover:bg-slate-100",
} as const;

type ButtonVariant = keyof typeof buttonStyles;

export function buttonClass(variant: ButtonVariant = "primary", extra?: string) {
  return cx(
    "inline-flex items-center justify-center gap-2 rounded-md px-3 py-2 text-sm font-medium transition-colors disabled:cursor-not-allowed",
    buttonStyles[variant],
    extra,
  );
}

export function Button({
  variant = "primary",
  className,
  ...props
}: ComponentProps<"button"> & { variant?: ButtonVariant }) {
  return <button type="button" className={buttonClass(variant, className)} {...props} />;
}

export function ButtonLink({
  variant = "primary",
  className,
  ...props
}: ComponentProps<typeof Link> & { variant?: ButtonVariant }) {
  return <Link className={buttonClass(variant, className)} {...props} />;
}

export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-brand-500 focus:ring-1 focus:ring-brand-500 focus:outline-none aria-invalid:border-red-500";

/** The id, ARIA and class props that tie an input to its Field's label, hint and error. */
export function controlProps(
  id: string,
  { error, hasHint }: { error?: string | boolean; hasHint?: boolean } = {},
) {
  return {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : hasHint ? `${id}-hint` : undefined,
    className: inputClass,
  };
}

/** A labelled form field; the error is announced and tied to the input by id (see controlProps). */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="text-xs text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export function Card({ className, ...props }: ComponentProps<"section">) {
  return (
    <section className={cx("rounded-lg border border-slate-200 bg-white shadow-sm", className)} {...props} />
  );
}

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <header className="mb-6 flex flex-wrap items-start justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{title}</h1>
        {description && <p className="mt-1 max-w-3xl text-sm text-slate-600">{description}</p>}
      </div>
      {actions && <div className="flex items-center gap-2">{actions}</div>}
    </header>
  );
}

export function Alert({
  tone = "error",
  children,
}: {
  tone?: "error" | "success" | "info";
  children: ReactNode;
}) {
  const styles = {
    error: "border-red-200 bg-red-50 text-red-800",
    success: "border-emerald-200 bg-emerald-50 text-emerald-800",
    info: "border-brand-100 bg-brand-50 text-brand-700",
  }[tone];
  return (
    <div
      role={tone === "error" ? "alert" : "status"}
      className={cx("rounded-md border px-3 py-2 text-sm", styles)}
    >
      {children}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 px-6 py-10 text-center">
      <p className="text-sm font-medium text-slate-800">{title}</p>
      {children && <div className="mt-1 text-sm text-slate-500">{children}</div>}
    </div>
  );
}

export function LoadingRows({ rows = 3, label = "Loading" }: { rows?: number; label?: string }) {
  return (
    <div role="status" aria-label={label} className="space-y-2">
      {Array.from({ length: rows }, (_, i) => (
        <div key={i} className="h-10 animate-pulse rounded bg-slate-100" />
      ))}
    </div>
  );
}

export function RoleBadge({ role }: { role: string }) {
  const styles: Record<string, string> = {
    admin: "bg-brand-100 text-brand-700",
    editor: "bg-emerald-100 text-emerald-800",
    viewer: "bg-slate-100 text-slate-700",
  };
  return (
    <span
      className={cx(
        "inline-flex rounded-full px-2 py-0.5 text-xs font-medium",
        styles[role] ?? styles.viewer,
      )}
    >
      {role}
    </span>
  );
}

export { cx };

/** A card with a titled header (title, optional description and aside) and a padded body. */
export function SectionCard({
  id,
  title,
  description,
  aside,
  children,
}: {
  /** Used for the heading's id; the card is labelled by it. */
  id: string;
  title: string;
  description?: ReactNode;
  aside?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card aria-labelledby={`${id}-heading`}>
      <div className="flex items-baseline justify-between gap-4 border-b border-slate-200 px-4 py-3 sm:px-6">
        <div>
          <h2 id={`${id}-heading`} className="text-lg font-semibold text-slate-900">
            {title}
          </h2>
          {description && <p className="mt-1 text-sm text-slate-600">{description}</p>}
        </div>
        {aside}
      </div>
      <div className="space-y-3 p-4 sm:px-6">{children}</div>
    </Card>
  );
}

/** The error state of a list: what failed, why, and a way to try again. */
export function LoadError({ what, error, onRetry }: { what: string; error: string; onRetry: () => void }) {
  return (
    <div className="space-y-3">
      <Alert>
        Could not load {what}: {error}
      </Alert>
      <Button variant="secondary" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}

export interface Column {
  label: string;
  /** Keep the header for screen readers only (e.g. a column of buttons). */
  hidden?: boolean;
  align?: "right";
}

/**
 * A box that scrolls (a wide table on a narrow screen): focusable and labelled,
 * so keyboard users reach it with Tab and scroll it with the arrow keys.
 */
export function ScrollBox({
  label,
  labelledBy,
  className,
  children,
}: {
  label?: string;
  labelledBy?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div
      role="group"
      aria-label={label}
      aria-labelledby={labelledBy}
      tabIndex={0}
      // relative: screen-reader-only text inside a wide table is placed within the box;
      // without it, it was placed against the page and made a narrow page scroll sideways.
      className={cx("focus-visible:outline-brand-600 relative focus-visible:outline-2", className)}
    >
      {children}
    </div>
  );
}

/**
 * A table that scrolls sideways on narrow screens, with a caption for screen
 * readers and a styled header. "boxed" draws it in a bordered, scrollable box
 * with a sticky header, for tables inside a form or panel.
 */
export function DataTable({
  caption,
  columns,
  variant = "plain",
  boxClassName,
  children,
  ...props
}: ComponentProps<"table"> & {
  caption: string;
  columns: Column[];
  variant?: "plain" | "boxed";
  /** Extra classes for the scrolling box (e.g. a maximum height). */
  boxClassName?: string;
}) {
  const boxed = variant === "boxed";
  return (
    <ScrollBox
      label={caption}
      className={cx(
        boxed ? "overflow-auto rounded-md border border-slate-200" : "-mx-4 overflow-x-auto sm:mx-0",
        boxClassName,
      )}
    >
      {/* Four columns and more keep a width to scroll sideways on a phone; fewer wrap their text
          instead, which reads better than a sideways scroll for a level and its description. */}
      <table
        className={cx("w-full text-left text-sm", !boxed && columns.length > 3 && "min-w-[40rem]")}
        {...props}
      >
        <caption className="sr-only">{caption}</caption>
        <thead
          className={cx(
            "text-xs tracking-wide text-slate-500 uppercase",
            boxed ? "sticky top-0 bg-slate-50" : "border-b border-slate-200",
          )}
        >
          <tr>
            {columns.map((column, i) => (
              <th
                key={column.label}
                scope="col"
                className={cx(
                  "py-2 font-medium",
                  boxed ? "px-3" : "pr-4",
                  !boxed && i === 0 && "pl-4 sm:pl-0",
                  !boxed && i === columns.length - 1 && "sm:pr-0",
                  column.align === "right" && "text-right",
                )}
              >
                {column.hidden ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        {children}
      </table>
    </ScrollBox>
  );
}

/** The <option>s of a <select>, from a list. */
export function Options<T>({
  items,
  value,
  label,
}: {
  items: readonly T[];
  value: (item: T) => string;
  label: (item: T) => ReactNode;
}) {
  return items.map((item) => (
    <option key={value(item)} value={value(item)}>
      {label(item)}
    </option>
  ));
}

/**
 * "Delete X?" asked in place, for a step that cannot be undone: what goes
 * with it, the server's refusal if any, and the choice, with focus on the
 * destructive button so Enter confirms and Escape-less keyboards can tab to "Keep it".
 */
/** A form's submit button, which says what it is doing while the request runs, and Cancel. */
export function FormActions({
  label,
  pendingLabel,
  pending,
  disabled,
  onCancel,
}: {
  label: string;
  pendingLabel: string;
  pending: boolean;
  disabled?: boolean;
  onCancel: () => void;
}) {
  return (
    <div className="flex gap-2">
      <Button type="submit" disabled={pending || disabled}>
        {pending ? pendingLabel : label}
      </Button>
      <Button variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
    </div>
  );
}

export function DangerConfirm({
  title,
  children,
  error,
  pending,
  confirmLabel,
  pendingLabel,
  onConfirm,
  onCancel,
  className,
}: {
  title: string;
  /** What is lost. */
  children: ReactNode;
  error?: string | null;
  confirmLabel: string;
} & Omit<ConfirmActionsProps, "label">) {
  const id = useId();
  return (
    <div
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-body`}
      className={cx("max-w-2xl rounded-lg border border-red-200 bg-red-50 p-4", className)}
    >
      <h2 id={`${id}-title`} className="font-medium text-red-900">
        {title}
      </h2>
      <p id={`${id}-body`} className="mt-1 text-sm text-red-800">
        {children}
      </p>
      {error && (
        <div className="mt-3">
          <Alert>{error}</Alert>
        </div>
      )}
      <ConfirmActions
        className="mt-3"
        label={confirmLabel}
        pendingLabel={pendingLabel}
        pending={pending}
        onConfirm={onConfirm}
        onCancel={onCancel}
      />
    </div>
  );
}

interface ConfirmActionsProps {
  label: string;
  pendingLabel: string;
  pending: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  className?: string;
}

/** The buttons of a destructive confirmation: the act (focused, so Escape or Tab are the way out) and "Keep it". */
export function ConfirmActions({
  label,
  pendingLabel,
  pending,
  onConfirm,
  onCancel,
  className,
}: ConfirmActionsProps) {
  return (
    <div className={cx("flex gap-2", className)}>
      <Button variant="danger" autoFocus disabled={pending} onClick={onConfirm}>
        {pending ? pendingLabel : label}
      </Button>
      <Button variant="secondary" onClick={onCancel}>
        Keep it
      </Button>
    </div>
  );
}
