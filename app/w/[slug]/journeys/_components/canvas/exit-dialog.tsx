"use client";

import { useId, useState, type FormEvent } from "react";
import { Alert, Button, controlProps, Field } from "~/app/_components/ui";
import { Modal } from "../modal";

/** Adds an exit or renames one: where customers leave the journey ("Bought", "Unsubscribed"). */
export function ExitDialog({
  open,
  initialLabel,
  onSubmit,
  onClose,
}: {
  open: boolean;
  /** The exit's label when renaming; absent when adding. */
  initialLabel?: string;
  /** Returns the refusal's message, or null when the exit was saved. */
  onSubmit: (label: string) => string | null;
  onClose: () => void;
}) {
  return (
    <Modal
      open={open}
      title={initialLabel === undefined ? "Add exit" : "Rename exit"}
      description="An exit is where customers leave the journey, e.g. “Bought” or “Unsubscribed”."
      onClose={onClose}
    >
      <ExitForm initialLabel={initialLabel ?? ""} onSubmit={onSubmit} onClose={onClose} />
    </Modal>
  );
}

function ExitForm({
  initialLabel,
  onSubmit,
  onClose,
}: {
  initialLabel: string;
  onSubmit: (label: string) => string | null;
  onClose: () => void;
}) {
  const id = useId();
  const [label, setLabel] = useState(initialLabel);
  const [error, setError] = useState<string | undefined>();
  const [refused, setRefused] = useState<string | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = label.trim();
    if (!trimmed) return setError("Give the exit a label.");
    setError(undefined);
    const message = onSubmit(trimmed);
    if (message) setRefused(message);
    else onClose();
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <Field id={`${id}-label`} label="Label" error={error}>
        <input
          {...controlProps(`${id}-label`, { error })}
          value={label}
          maxLength={80}
          onChange={(e) => setLabel(e.target.value)}
        />
      </Field>
      {refused && <Alert>{refused}</Alert>}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit">Save exit</Button>
      </div>
    </form>
  );
}
