// The grid's column widths and cell styles, shared by its rows.

/** Column widths in pixels: fixed, so the emotion curve's points sit over their columns. */
export const ROW_HEADER_WIDTH = 150;
export const STAGE_COLUMN_WIDTH = 256;
export const ADD_COLUMN_WIDTH = 140;

const rowHeaderBase =
  "sticky left-0 border-r border-b border-slate-200 bg-slate-50 px-3 py-2 text-left text-xs font-semibold tracking-wide text-slate-600 uppercase";
/** A row's header: stays at the left while the grid scrolls sideways. */
export const rowHeaderClass = `${rowHeaderBase} z-10 align-top`;
/** The top-left cell: stays in the corner whichever way the grid scrolls, above the other sticky cells. */
export const cornerHeaderClass = `${rowHeaderBase} top-0 z-30 align-bottom`;
/** The stage headers and the "+ Add stage" cell: stay on top while the rows scroll under them. */
export const stickyTopClass = "sticky top-0 z-20";
export const cellClass = "border-r border-b border-slate-200 px-3 py-2 align-top";

/** The cell under the "+ Add stage" column, on every row while the grid is editable. */
export function AddColumnFiller({ show }: { show: boolean }) {
  return show ? <td className="border-b border-slate-200 bg-slate-50/50" /> : null;
}
