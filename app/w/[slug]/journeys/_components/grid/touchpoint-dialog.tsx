import type { Stage } from "~/server/journeys/design";
import { addTouchpoint, removeTouchpoint, updateTouchpoint } from "~/server/journeys/edit";
import { channelLabels } from "../../../_components/channels";
import { Modal } from "../modal";
import type { Edit, FormTarget } from "./grid-model";
import { TouchpointForm } from "./touchpoint-form";
import { blankTouchpoint } from "./touchpoint-form-state";

/** The dialog to add a touchpoint to a cell, or to read, change or remove one. */
export function TouchpointDialog({
  form,
  stages,
  edit,
  onClose,
  announce,
  focusAfterRender,
}: {
  form: FormTarget | null;
  stages: Stage[];
  edit?: Edit;
  onClose: () => void;
  announce: (message: string) => void;
  focusAfterRender: (id: string) => void;
}) {
  const canEdit = Boolean(edit);
  const formStage =
    form?.kind === "new"
      ? stages.find((s) => s.id === form.stageId)
      : stages.find((s) => s.touchpoints.some((tp) => form?.kind === "edit" && tp.id === form.touchpointId));
  const formTouchpoint =
    form?.kind === "edit" ? formStage?.touchpoints.find((tp) => tp.id === form.touchpointId) : undefined;

  return (
    <Modal
      id="touchpoint-dialog"
      title={
        form?.kind === "new"
          ? `New ${channelLabels[form.channel]} touchpoint`
          : (formTouchpoint?.title ?? "Touchpoint")
      }
      open={Boolean(formStage && (form?.kind === "new" || formTouchpoint))}
      onClose={onClose}
      wide
    >
      {formStage && form && (
        <TouchpointForm
          key={form.kind === "new" ? `new-${form.stageId}-${form.channel}` : form.touchpointId}
          initial={formTouchpoint ?? blankTouchpoint(form.kind === "new" ? form.channel : "email")}
          stageName={formStage.name}
          readOnly={!canEdit}
          onCancel={onClose}
          onSave={(touchpoint) => {
            if (!edit) return;
            if (form.kind === "edit") {
              if (edit((d) => updateTouchpoint(d, form.touchpointId, touchpoint))) onClose();
              return;
            }
            let id = "";
            const added = edit((d) => {
              const result = addTouchpoint(d, form.stageId, touchpoint);
              id = result.touchpointId;
              return result.design;
            });
            if (added) {
              onClose();
              announce(
                `Added “${touchpoint.title}” to ${formStage.name}, ${channelLabels[touchpoint.channel]}.`,
              );
              focusAfterRender(`journey-tp-${id}`);
            }
          }}
          onRemove={
            edit && form.kind === "edit"
              ? () => {
                  if (edit((d) => removeTouchpoint(d, form.touchpointId))) {
                    onClose();
                    announce(`Removed “${formTouchpoint?.title ?? ""}”.`);
                  }
                }
              : undefined
          }
        />
      )}
    </Modal>
  );
}
