/** The kind of the job that loads an import: the job runner dispatches on it, and the segment loop waits while one runs. */
export const IMPORT_JOB_KIND = "import";
