import "server-only";

// A loop beside the job runner that does a turn of work every `intervalMs`, or
// at once again when a turn says there is more (a full batch). A turn that
// throws is logged and the loop goes on. Returns the function that stops it.

export function startPollingLoop({
  name,
  intervalMs,
  turn,
  log = (message: string) => console.error(message),
}: {
  name: string;
  intervalMs: number;
  /** One turn of work; true when there is more to do at once. */
  turn: (stopped: () => boolean) => Promise<boolean>;
  log?: (message: string) => void;
}) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const next = async () => {
    let more = false;
    try {
      more = await turn(() => stopped);
    } catch (error) {
      log(`${name}: ${(error as Error).message}`);
    }
    if (!stopped) timer = setTimeout(() => void next(), more ? 0 : intervalMs);
  };
  timer = setTimeout(() => void next(), intervalMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
