import type { TouchpointFormState } from "./touchpoint-form-state";

// What the touchpoint form's field groups are given.

/** Changes one field of the form. */
export type SetTouchpointField = <K extends keyof TouchpointFormState>(
  key: K,
  value: TouchpointFormState[K],
) => void;

/** The first error found on any of the paths (as formatDesignPath writes them), if any. */
export type TouchpointFieldError = (...paths: string[]) => string | undefined;
