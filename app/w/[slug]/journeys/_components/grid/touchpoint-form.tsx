"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { FormProvider, useForm } from "react-hook-form";
import { Alert } from "~/app/_components/ui";
import type { NewTouchpoint } from "~/server/journeys/edit";
import { TouchpointFormActions } from "./touchpoint-form-actions";
import { toForm, touchpointFormSchema } from "./touchpoint-form-state";
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
  const form = useForm({
    defaultValues: toForm(initial),
    resolver: zodResolver(touchpointFormSchema),
    // Problems are checked again at the next save, not at each key, and the
    // focus stays put: the list of problems does not change under the person's typing.
    reValidateMode: "onSubmit",
    shouldFocusError: false,
  });
  const unknown = Object.keys(form.formState.errors).length > 0;

  return (
    <FormProvider {...form}>
      <form
        onSubmit={readOnly ? (event) => event.preventDefault() : form.handleSubmit(onSave)}
        noValidate
        className="space-y-4"
      >
        <p className="text-sm text-slate-600">In the stage “{stageName}”.</p>
        <fieldset disabled={readOnly} className="space-y-4">
          <TouchpointMessageFields />
          <TouchpointTimingFields />
          <TouchpointFrequencyFields />
        </fieldset>

        {unknown && <Alert>Check the fields marked above.</Alert>}
        <TouchpointFormActions
          title={initial.title}
          readOnly={readOnly}
          onRemove={onRemove}
          onCancel={onCancel}
        />
      </form>
    </FormProvider>
  );
}
