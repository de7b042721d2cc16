// The grid's column widths and cell styles, shared by its rows.

/** Column widths in pixels: fixed, so the emotion curve's points sit over their columns. */
export const ROW_HEADER_WIDTH = 150;
export const STAGE_COLUMN_WIDTH = 256;
export const ADD_COLUMN_WIDTH = 140;

export const rowHeaderClass =
  "sticky left-0 z-10 border-r border-b border-slate-200 bg-slate-50 px-3 py-2 text-left align-top text-xs font-semibold tracking-wide text-slate-600 uppercase";
export const cellClass = "border-r border-b border-slate-200 px-3 py-2 align-top";

/** The cell under the "+ Add stage" column, on every row while the grid is editable. */
export function AddColumnFiller({ show }: { show: boolean }) {
  return show ? <td className="border-b border-slate-200 bg-slate-50/50" /> : null;
}
