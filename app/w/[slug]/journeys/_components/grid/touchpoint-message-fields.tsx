import { controlProps, Field, Options } from "~/app/_components/ui";
import { channels, type Channel } from "~/db/enums";
import { ownerTeams, type Touchpoint } from "~/server/journeys/design";
import { channelLabels } from "../../../_components/channels";
import { ownerTeamLabels } from "./describe";
import type { SetTouchpointField, TouchpointFieldError } from "./touchpoint-fields";
import type { TouchpointFormState } from "./touchpoint-form-state";

/** The touchpoint's channel and owner, and its message: title, text and link. */
export function TouchpointMessageFields({
  form,
  set,
  error,
}: {
  form: TouchpointFormState;
  set: SetTouchpointField;
  error: TouchpointFieldError;
}) {
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="tp-channel" label="Channel" error={error("channel")}>
          <select
            {...controlProps("tp-channel", { error: error("channel") })}
            value={form.channel}
            onChange={(e) => set("channel", e.target.value as Channel)}
          >
            <Options items={channels} value={(c) => c} label={(c) => channelLabels[c]} />
          </select>
        </Field>
        <Field id="tp-owner" label="Owner team" error={error("ownerTeam")}>
          <select
            {...controlProps("tp-owner", { error: error("ownerTeam") })}
            value={form.ownerTeam}
            onChange={(e) => set("ownerTeam", e.target.value as Touchpoint["ownerTeam"])}
          >
            <Options items={ownerTeams} value={(t) => t} label={(t) => ownerTeamLabels[t]} />
          </select>
        </Field>
      </div>
      <Field id="tp-title" label="Title" error={error("title")}>
        <input
          {...controlProps("tp-title", { error: error("title") })}
          value={form.title}
          onChange={(e) => set("title", e.target.value)}
          maxLength={200}
          autoComplete="off"
          required
        />
      </Field>
      <Field
        id="tp-content"
        label="Message"
        hint="What the customer reads or hears (optional)"
        error={error("content")}
      >
        <textarea
          {...controlProps("tp-content", { error: error("content"), hasHint: true })}
          rows={3}
          value={form.content}
          onChange={(e) => set("content", e.target.value)}
          maxLength={2000}
        />
      </Field>
      <Field
        id="tp-link"
        label="Link to the content"
        hint="An http(s) address (optional)"
        error={error("link")}
      >
        <input
          {...controlProps("tp-link", { error: error("link"), hasHint: true })}
          type="url"
          value={form.link}
          onChange={(e) => set("link", e.target.value)}
          placeholder="https://"
          autoComplete="off"
        />
      </Field>
    </>
  );
}
