import { get, useFormContext, type FieldError } from "react-hook-form";
import type { TouchpointFormState } from "./touchpoint-form-state";

/**
 * The touchpoint form as its field groups use it: react-hook-form's methods,
 * and `error`, the first problem the design's schema found on any of the
 * paths given (its paths are the touchpoint's, "frequencyCap.max", not the fields').
 */
export function useTouchpointFields() {
  const form = useFormContext<TouchpointFormState>();
  const { errors } = form.formState;
  const error = (...paths: string[]) =>
    paths.map((path) => (get(errors, path) as FieldError | undefined)?.message).find(Boolean);
  return { ...form, error };
}
