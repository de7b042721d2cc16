"use client";

import { useState } from "react";
import { Alert } from "~/app/_components/ui";
import { formatDesignPath, ZTouchpoint } from "~/server/journeys/design";
import type { NewTouchpoint } from "~/server/journeys/edit";
import type { SetTouchpointField } from "./touchpoint-fields";
import { TouchpointFormActions } from "./touchpoint-form-actions";
import { fromForm, toForm } from "./touchpoint-form-state";
import { TouchpointFrequencyFields } from "./touchpoint-frequency-fields";
import { TouchpointMessageFields } from "./touchpoint-message-fields";
import { TouchpointTimingFields } from "./touchpoint-timing-fields";

// Every field of a touchpoint: the message, what starts its clock and how long
// after, when it may be sent, how often, and who owns it. The form keeps text
// as typed and checks it with the design's own schema on save, so the errors
// it shows beside the fields are the ones the server would give.

/**
 * The touchpoint form of the grid's dialog. `onSave` gets a valid touchpoint
 * (without its id); `onRemove` is offered for an existing one. Read-only shows
 * every field without the buttons that change anything.
 */
export function TouchpointForm({
  initial,
  stageName,
  readOnly,
  onSave,
  onRemove,
  onCancel,
}: {
  initial: NewTouchpoint;
  stageName: string;
  readOnly: boolean;
  onSave: (touchpoint: NewTouchpoint) => void;
  onRemove?: () => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState(() => toForm(initial));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set: SetTouchpointField = (key, value) => setForm((f) => ({ ...f, [key]: value }));

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (readOnly) return;
    const result = ZTouchpoint.omit({ id: true }).safeParse(fromForm(form));
    if (result.success) {
      onSave(result.data);
      return;
    }
    const found: Record<string, string> = {};
    for (const issue of result.error.issues) {
      const path = formatDesignPath(issue.path);
      found[path] ??= issue.message;
    }
    setErrors(found);
  };

  const error = (...paths: string[]) => paths.map((p) => errors[p]).find(Boolean);
  const unknown = Object.keys(errors).length > 0;

  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      <p className="text-sm text-slate-600">In the stage “{stageName}”.</p>
      <fieldset disabled={readOnly} className="space-y-4">
        <TouchpointMessageFields form={form} set={set} error={error} />
        <TouchpointTimingFields form={form} set={set} error={error} />
        <TouchpointFrequencyFields form={form} set={set} error={error} />
      </fieldset>

      {unknown && <Alert>Check the fields marked above.</Alert>}
      <TouchpointFormActions
        title={initial.title}
        readOnly={readOnly}
        onRemove={onRemove}
        onCancel={onCancel}
      />
    </form>
  );
}
