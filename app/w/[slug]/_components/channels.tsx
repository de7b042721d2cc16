import type { Channel, EventType } from "~/db/enums";
import { cx } from "~/app/_components/ui";

// One colour and one label per channel, used by the list, the channel mix and
// the timeline. Colour is never the only cue: the label is always written too.

export const channelLabels: Record<Channel, string> = {
  web: "Web",
  mobile: "App",
  email: "Email",
  store: "Store",
  call_center: "Call centre",
  social: "Social",
  other: "Other",
};

/** Full class strings, so Tailwind finds them. */
export const channelStyles: Record<Channel, { dot: string; badge: string; bar: string; strip: string }> = {
  web: {
    dot: "bg-sky-500",
    badge: "bg-sky-50 text-sky-800 ring-sky-200",
    bar: "bg-sky-500",
    strip: "border-l-sky-500",
  },
  mobile: {
    dot: "bg-violet-500",
    badge: "bg-violet-50 text-violet-800 ring-violet-200",
    bar: "bg-violet-500",
    strip: "border-l-violet-500",
  },
  email: {
    dot: "bg-amber-500",
    badge: "bg-amber-50 text-amber-900 ring-amber-200",
    bar: "bg-amber-500",
    strip: "border-l-amber-500",
  },
  store: {
    dot: "bg-emerald-600",
    badge: "bg-emerald-50 text-emerald-800 ring-emerald-200",
    bar: "bg-emerald-600",
    strip: "border-l-emerald-600",
  },
  call_center: {
    dot: "bg-rose-500",
    badge: "bg-rose-50 text-rose-800 ring-rose-200",
    bar: "bg-rose-500",
    strip: "border-l-rose-500",
  },
  social: {
    dot: "bg-fuchsia-500",
    badge: "bg-fuchsia-50 text-fuchsia-800 ring-fuchsia-200",
    bar: "bg-fuchsia-500",
    strip: "border-l-fuchsia-500",
  },
  other: {
    dot: "bg-slate-400",
    badge: "bg-slate-50 text-slate-700 ring-slate-200",
    bar: "bg-slate-400",
    strip: "border-l-slate-400",
  },
};

export function ChannelBadge({ channel, className }: { channel: Channel; className?: string }) {
  return (
    <span
      className={cx(
        "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        channelStyles[channel].badge,
        className,
      )}
    >
      <span aria-hidden="true" className={cx("h-1.5 w-1.5 rounded-full", channelStyles[channel].dot)} />
      {channelLabels[channel]}
    </span>
  );
}

const money = new Intl.NumberFormat("en-GB", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat("en-GB");

export function formatMoney(value: number) {
  return money.format(value);
}

export function formatCount(value: number) {
  return count.format(value);
}

export const identityKindLabels = {
  user_id: "User id",
  anonymous_id: "Anonymous id",
  email: "Email",
  phone: "Phone",
} as const;

export const eventTypeLabels: Record<EventType, string> = {
  track: "Tracked event",
  page: "Page view",
  screen: "Screen view",
  identify: "Identify",
  group: "Group",
  alias: "Alias",
};
