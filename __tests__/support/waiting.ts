/**
 * Waiting on real processes (the sidecar scripts run with `sh`): their files and output arrive when
 * they arrive, and a loaded machine (the whole suite in parallel) can take seconds.
 */

/** Polls `condition` every 20 ms until it holds; fails naming `what` after `ms`. */
export async function until(condition: () => boolean, what: string, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Waits until a process's output contains `text`. A state file the script writes after a log line
 * can be seen before node has read that line from the pipe, so output is waited for, not expected at
 * once; on time-out it fails as `toContain` would, with the output received so far.
 */
export async function said(output: () => string, text: string, ms = 15000): Promise<void> {
  try {
    await until(() => output().includes(text), JSON.stringify(text), ms);
  } catch {
    expect(output()).toContain(text);
  }
}
