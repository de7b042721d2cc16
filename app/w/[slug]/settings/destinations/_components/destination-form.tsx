"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useForm, useWatch, type FieldErrors } from "react-hook-form";
import { Alert, Card, controlProps, Field, FormActions } from "~/app/_components/ui";
import { errorMessage } from "~/app/_trpc/errors";
import { useTRPC } from "~/app/_trpc/react";
import { ZDestinationInput, type DestinationInput } from "~/server/destinations/settings";
import { useWorkspace } from "../../../_components/workspace-context";

/** The form's values: both kinds' fields, so switching kind keeps what was typed. */
interface Draft {
  kind: "smtp" | "webhook";
  name: string;
  host: string;
  port: number;
  security: "tls" | "starttls" | "none";
  username: string;
  fromAddress: string;
  fromName: string;
  url: string;
  timeoutSeconds: number;
  maxAttempts: number;
  secret: string;
}

export interface EditedDestination {
  id: string;
  kind: "smtp" | "webhook";
  name: string;
  settings: Record<string, unknown>;
  hasSecret: boolean;
}

const blank: Draft = {
  kind: "smtp",
  name: "",
  host: "",
  port: 587,
  security: "starttls",
  username: "",
  fromAddress: "",
  fromName: "",
  url: "",
  timeoutSeconds: 10,
  maxAttempts: 6,
  secret: "",
};

function draftOf(d: EditedDestination): Draft {
  const s = d.settings as Partial<Record<string, string | number>>;
  return {
    ...blank,
    kind: d.kind,
    name: d.name,
    ...(d.kind === "smtp"
      ? {
          host: String(s.host ?? ""),
          port: Number(s.port ?? 587),
          security: (s.security as Draft["security"]) ?? "starttls",
          username: String(s.username ?? ""),
          fromAddress: String(s.fromAddress ?? ""),
          fromName: String(s.fromName ?? ""),
        }
      : {
          url: String(s.url ?? ""),
          timeoutSeconds: Number(s.timeoutMs ?? 10_000) / 1000,
          maxAttempts: Number(s.maxAttempts ?? 6),
        }),
  };
}

/** The API's input from the form: the kind's own fields, the credential only when one was typed. */
export function inputOf(draft: Draft, editing: boolean): DestinationInput {
  const secret = draft.secret === "" && editing ? undefined : draft.secret || undefined;
  if (draft.kind === "smtp")
    return {
      kind: "smtp",
      name: draft.name,
      settings: {
        host: draft.host,
        port: draft.port,
        security: draft.security,
        username: draft.username,
        fromAddress: draft.fromAddress,
        fromName: draft.fromName,
      },
      secret,
    };
  return {
    kind: "webhook",
    name: draft.name,
    settings: {
      url: draft.url,
      timeoutMs: Math.round(draft.timeoutSeconds * 1000),
      maxAttempts: draft.maxAttempts,
    },
    secret,
  };
}

/** Problems of the API's schema, placed on the form's own fields. */
const FIELD_OF: Record<string, keyof Draft> = {
  "settings.timeoutMs": "timeoutSeconds",
};

function validate(editing: boolean) {
  return async (draft: Draft) => {
    const parsed = ZDestinationInput.safeParse(inputOf(draft, editing));
    if (parsed.success) return { values: draft, errors: {} };
    const errors: FieldErrors<Draft> = {};
    for (const issue of parsed.error.issues) {
      const path = issue.path.join(".");
      const field = FIELD_OF[path] ?? (issue.path.at(-1) as keyof Draft);
      if (!errors[field]) errors[field] = { type: "validate", message: issue.message };
    }
    return { values: {}, errors };
  };
}

export function DestinationForm({
  editing,
  onDone,
}: {
  editing?: EditedDestination;
  onDone: (created?: { name: string; generatedSecret: string | null }) => void;
}) {
  const trpc = useTRPC();
  const id = useId();
  const queryClient = useQueryClient();
  const { id: workspaceId } = useWorkspace();
  const create = useMutation(trpc.destination.create.mutationOptions());
  const update = useMutation(trpc.destination.update.mutationOptions());
  const form = useForm<Draft>({
    defaultValues: editing ? draftOf(editing) : blank,
    resolver: validate(Boolean(editing)),
    reValidateMode: "onSubmit",
  });
  const kind = useWatch({ control: form.control, name: "kind" });
  const errors = form.formState.errors;
  const failed = create.error ?? update.error;
  const pending = create.isPending || update.isPending;

  const submit = form.handleSubmit(async (draft) => {
    const destination = inputOf(draft, Boolean(editing));
    try {
      if (editing) {
        await update.mutateAsync({ workspaceId, destinationId: editing.id, destination });
        onDone();
      } else {
        const created = await create.mutateAsync({ workspaceId, destination });
        onDone({ name: created.name, generatedSecret: created.generatedSecret });
      }
      await queryClient.invalidateQueries({ queryKey: trpc.destination.list.queryKey() });
    } catch {
      // Shown from the mutation's error.
    }
  });

  const field = (
    name: keyof Draft,
    label: string,
    hint?: string,
    props: React.ComponentProps<"input"> = {},
  ) => (
    <Field id={`${id}-${name}`} label={label} hint={hint} error={errors[name]?.message}>
      <input
        {...controlProps(`${id}-${name}`, { error: errors[name]?.message, hasHint: Boolean(hint) })}
        {...form.register(name, { valueAsNumber: props.type === "number" })}
        {...props}
      />
    </Field>
  );

  return (
    <Card aria-labelledby={`${id}-heading`} className="p-4 sm:p-6">
      <h2 id={`${id}-heading`} className="text-lg font-semibold text-slate-900">
        {editing ? `Edit “${editing.name}”` : "Add a destination"}
      </h2>
      <form onSubmit={submit} className="mt-4 space-y-4" noValidate>
        {failed && <Alert>{errorMessage(failed)}</Alert>}
        {!editing && (
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">Kind</legend>
            <div className="mt-2 flex flex-wrap gap-4 text-sm">
              <label className="flex items-center gap-2">
                <input type="radio" value="smtp" {...form.register("kind")} /> Email over SMTP
              </label>
              <label className="flex items-center gap-2">
                <input type="radio" value="webhook" {...form.register("kind")} /> Webhook (SMS, push, ads, a
                CRM)
              </label>
            </div>
          </fieldset>
        )}
        {field("name", "Name", "How touchpoints and the log refer to it, e.g. “Mailgun” or “SMS gateway”.", {
          autoComplete: "off",
        })}
        {kind === "smtp" ? (
          <div className="grid gap-4 sm:grid-cols-2">
            {field("host", "SMTP host", undefined, { autoComplete: "off", placeholder: "smtp.example.com" })}
            {field("port", "Port", "587 with STARTTLS, 465 with TLS.", {
              type: "number",
              min: 1,
              max: 65535,
            })}
            <Field id={`${id}-security`} label="Security" error={errors.security?.message}>
              <select {...controlProps(`${id}-security`)} {...form.register("security")}>
                <option value="starttls">STARTTLS (upgrade required)</option>
                <option value="tls">TLS from the start</option>
                <option value="none">None (a local relay only)</option>
              </select>
            </Field>
            {field("username", "User name", "Leave empty when the server needs no sign-in.", {
              autoComplete: "off",
            })}
            {field(
              "secret",
              "Password",
              editing?.hasSecret
                ? "Stored sealed. Leave empty to keep it."
                : "Stored sealed with the app's secret.",
              { type: "password", autoComplete: "new-password" },
            )}
            {field("fromAddress", "From address", undefined, {
              type: "email",
              placeholder: "news@example.com",
            })}
            {field("fromName", "From name", undefined, { placeholder: "Northwind" })}
          </div>
        ) : (
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="sm:col-span-2">
              {field("url", "URL", "Centric POSTs each message here as JSON (docs/destinations.md).", {
                type: "url",
                placeholder: "https://hooks.example.com/centric",
              })}
            </div>
            {field("timeoutSeconds", "Timeout (seconds)", "Per attempt, 1–30.", {
              type: "number",
              min: 1,
              max: 30,
            })}
            {field("maxAttempts", "Attempts", "Then the message is listed under failed messages.", {
              type: "number",
              min: 1,
              max: 10,
            })}
            <div className="sm:col-span-2">
              {field(
                "secret",
                "Signing secret",
                editing
                  ? "Leave empty to keep the current one."
                  : "At least 16 characters; leave empty and Centric generates one and shows it once.",
                { type: "password", autoComplete: "new-password" },
              )}
            </div>
          </div>
        )}
        <FormActions
          label={editing ? "Save" : "Add destination"}
          pendingLabel="Saving…"
          pending={pending}
          onCancel={() => onDone()}
        />
      </form>
    </Card>
  );
}
