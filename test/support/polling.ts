/** Polling until something happens, failing the test with what it waited for when it does not. */
import assert from 'node:assert/strict';

const POLL_MS = 20;

/** Resolves with the first defined value `probe` gives, polling for up to `timeoutMs`. */
export async function waitFor<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Resolves once `condition` holds, polling for up to `timeoutMs`. */
export async function until(condition: () => Promise<boolean> | boolean, what: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(async () => ((await condition()) ? true : undefined), what, timeoutMs);
}
