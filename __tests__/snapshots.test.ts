/**
 * Drift guard: the JSON a full synth writes for every stack of every environment (absolute paths
 * normalised). Property tests elsewhere say why values are right; these say that nothing changed
 * unnoticed. Trimmed of what says nothing about the infrastructure: cdktf's "//" metadata (construct
 * paths and unique ids, which the resource addresses already carry; terraform-addresses.test.ts
 * guards those). Update with `npx jest -u __tests__/snapshots` and read the diff.
 */
import { environmentNames } from "../modules/load/load";
import { synthNamed } from "./support/synth";

/** The value without cdktf's "//" metadata keys, at any depth. */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== "//")
      .map(([key, v]) => [key, withoutMetadata(v)]),
  );
}

describe.each(environmentNames())("%s", (name) => {
  const synth = synthNamed(name);
  afterAll(() => synth.cleanup());

  it("synthesizes the stacks in deploy order", () => {
    expect(synth.stacks).toMatchSnapshot();
  });

  it.each(synth.stacks)("%s stack", (stack) => {
    expect(withoutMetadata(synth.stack(stack))).toMatchSnapshot();
  });
});
