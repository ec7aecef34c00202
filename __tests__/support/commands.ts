/** Runs a command's entry point in process: exit code and what it wrote to each stream. */
export type CommandRun = (argv: string[], out: NodeJS.WritableStream, err: NodeJS.WritableStream) => number;

export function runInProcess(run: CommandRun, ...args: string[]): { code: number; stdout: string; stderr: string } {
  const out: string[] = [];
  const err: string[] = [];
  const stream = (sink: string[]) => ({ write: (text: string) => sink.push(text) }) as unknown as NodeJS.WritableStream;
  const code = run(args, stream(out), stream(err));
  return { code, stdout: out.join(""), stderr: err.join("") };
}
