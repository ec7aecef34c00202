import { rmSync } from "node:fs";

export default function globalTeardown(): void {
  if (process.env.EKS_TEST_SYNTH_DIR) rmSync(process.env.EKS_TEST_SYNTH_DIR, { recursive: true, force: true });
}
