/**
 * Drift guard: the JSON a full synth writes for every stack of every environment (absolute paths
 * normalised). Property tests elsewhere say why values are right; these say that nothing changed
 * unnoticed. Update with `npx jest -u` and read the diff.
 */
import { environmentNames } from "../modules/load/load";
import { synthNamed } from "./support/synth";

describe.each(environmentNames())("%s", (name) => {
  const synth = synthNamed(name);
  afterAll(() => synth.cleanup());

  it("synthesizes the stacks in deploy order", () => {
    expect(synth.stacks).toMatchSnapshot();
  });

  it.each(synth.stacks)("%s stack", (stack) => {
    expect(synth.stack(stack)).toMatchSnapshot();
  });
});
