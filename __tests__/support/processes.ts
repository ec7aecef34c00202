/**
 * Real processes in tests (the sidecar scripts run with `sh`): started in their own process group
 * and killed with it after each test; waited on, since their files and output arrive when they
 * arrive, and a loaded machine (the whole suite in parallel) can take seconds.
 */
import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";

/** A started script: its process (detached, so its group can be killed) and its scratch folder. */
export interface TestProcess {
  child: ChildProcess;
  dir: string;
}

/**
 * Wraps a start function so that every process it starts in a test is killed with its process group
 * (the script's background sleeps too) and its folder removed after that test. Call in a describe.
 */
export function startedPerTest<A extends unknown[], P extends TestProcess>(
  start: (...args: A) => P,
): (...args: A) => P {
  const running: P[] = [];
  afterEach(() => {
    for (const p of running.splice(0)) {
      try {
        process.kill(-p.child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      rmSync(p.dir, { recursive: true, force: true });
    }
  });
  return (...args: A) => {
    const p = start(...args);
    running.push(p);
    return p;
  };
}

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
