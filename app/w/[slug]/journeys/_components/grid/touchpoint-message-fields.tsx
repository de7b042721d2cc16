import { controlProps, Field, Options } from "~/app/_components/ui";
import { channels } from "~/db/enums";
import { ownerTeams } from "~/server/journeys/design";
import { channelLabels } from "../../../_components/channels";
import { ownerTeamLabels } from "./describe";
import { useTouchpointFields } from "./touchpoint-fields";

/** The touchpoint's channel and owner, and its message: title, text and link. */
export function TouchpointMessageFields() {
  const { register, error } = useTouchpointFields();
  return (
    <>
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id="tp-channel" label="Channel" error={error("channel")}>
          <select {...controlProps("tp-channel", { error: error("channel") })} {...register("channel")}>
            <Options items={channels} value={(c) => c} label={(c) => channelLabels[c]} />
          </select>
        </Field>
        <Field id="tp-owner" label="Owner team" error={error("ownerTeam")}>
          <select {...controlProps("tp-owner", { error: error("ownerTeam") })} {...register("ownerTeam")}>
            <Options items={ownerTeams} value={(t) => t} label={(t) => ownerTeamLabels[t]} />
          </select>
        </Field>
      </div>
      <Field id="tp-title" label="Title" error={error("title")}>
        <input
          {...controlProps("tp-title", { error: error("title") })}
          {...register("title")}
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
          {...register("content")}
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
          {...register("link")}
          placeholder="https://"
          autoComplete="off"
        />
      </Field>
    </>
  );
}
