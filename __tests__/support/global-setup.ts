/**
 * Synthesizes every shipped environment once per test run (a full app synth, as `npm run synth`
 * does), so the stack, snapshot and property tests read the same output instead of each
 * synthesizing it again. Tests find it through EKS_TEST_SYNTH_DIR; see synth.ts.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { environmentNames } from "../../modules/load/load";
import { synthesize } from "../../stacks/app";

export default function globalSetup(): void {
  const root = mkdtempSync(join(tmpdir(), "eks-test-synth-"));
  for (const name of environmentNames()) {
    const outdir = join(root, name);
    mkdirSync(outdir);
    try {
      synthesize({ EKS_ENV: name }, outdir);
    } catch {
      // Left out: the tests of this environment synthesize it themselves and fail there, with the error.
      rmSync(outdir, { recursive: true, force: true });
    }
  }
  process.env.EKS_TEST_SYNTH_DIR = root;
}
