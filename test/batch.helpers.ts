/** Helpers for the batch tests: a backoff retry loop for unprocessed items. */
/**
 * The seed's advice for batch operations: resend what came back unprocessed, waiting
 * exponentially longer between attempts. `send` returns what is still left (empty: done).
 */
export async function retryWithBackoff<T>(
  first: T,
  send: (request: T) => Promise<T | undefined>,
  options: { baseMs?: number; maxAttempts?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<{ attempts: number; delays: number[] }> {
  const baseMs = options.baseMs ?? 10;
  const maxAttempts = options.maxAttempts ?? 8;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const delays: number[] = [];
  let request: T | undefined = first;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    request = await send(request!);
    if (request === undefined) return { attempts: attempt, delays };
    // Full jitter keeps many retrying clients from hammering in lockstep.
    const delay = Math.round(Math.random() * baseMs * 2 ** (attempt - 1));
    delays.push(delay);
    await sleep(delay);
  }
  throw new Error(`still unprocessed after ${maxAttempts} attempts`);
}
