import { z } from "zod";
import type { InitiativeLinkKind, InitiativeStatus } from "~/db/enums";
import { ZInitiativeData } from "~/server/maturity/form-inputs";
import type { Initiative } from "./initiatives";

// The initiative form's fields as typed, and the initiative they make. The
// form checks them with the procedures' own schema on save, so the problems it
// shows beside the fields are the ones the server would give, at the same paths.

export interface InitiativeFormState {
  title: string;
  dimensionKey: string;
  status: InitiativeStatus;
  dueDate: string;
  /** "" nobody, "other" a typed name, else a member's user id. */
  owner: string;
  ownerName: string;
  description: string;
  /** "segment:<id>" / "journey:<id>", one per linked segment or journey. */
  links: string[];
}

export const linkKey = (kind: InitiativeLinkKind, id: string) => `${kind}:${id}`;

export function initiativeFormOf(
  initiative: Initiative | undefined,
  dimensions: readonly { key: string }[],
): InitiativeFormState {
  return {
    title: initiative?.title ?? "",
    dimensionKey: initiative?.dimensionKey ?? dimensions[0]?.key ?? "",
    status: initiative?.status ?? "planned",
    dueDate: initiative?.dueDate ?? "",
    owner: initiative?.owner ? (initiative.owner.id ?? "other") : "",
    ownerName: initiative?.owner && !initiative.owner.id ? initiative.owner.name : "",
    description: initiative?.description ?? "",
    links: initiative?.links.map((l) => linkKey(l.kind, l.targetId)) ?? [],
  };
}

/** The initiative as the form's fields say; not yet checked. */
function toInitiativeData(form: InitiativeFormState): z.input<typeof ZInitiativeData> {
  return {
    title: form.title,
    dimensionKey: form.dimensionKey,
    status: form.status,
    dueDate: form.dueDate || null,
    description: form.description,
    ownerId: form.owner && form.owner !== "other" ? form.owner : null,
    ownerName: form.owner === "other" ? form.ownerName : null,
    links: form.links.map((key) => {
      const [kind, targetId] = key.split(":") as [InitiativeLinkKind, string];
      return { kind, targetId };
    }),
  };
}

export const initiativeFormSchema = z
  .custom<InitiativeFormState>()
  .transform(toInitiativeData)
  .pipe(ZInitiativeData);
