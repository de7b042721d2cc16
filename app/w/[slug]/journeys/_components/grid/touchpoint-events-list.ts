/** The id of the datalist of known event names that the touchpoint form's event fields suggest from. */
export const TOUCHPOINT_EVENTS_LIST = "journey-event-names";
