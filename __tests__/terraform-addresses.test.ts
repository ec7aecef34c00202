/**
 * A refactoring must never make Terraform destroy and recreate what is deployed. Every resource
 * address each shipped environment has ever synthesized is recorded in
 * fixtures/terraform-addresses.json; each one must still exist, or be the `from` of a `moved` block
 * in its stack that leads to an address that exists (cdktf's moveTo / moveFromId), or be retired on
 * purpose, with the reason, under "retired".
 *
 * New addresses are recorded with `EKS_RECORD_ADDRESSES=1 npx jest __tests__/terraform-addresses`,
 * which only ever adds.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { environmentNames } from "../modules/load/load";
import { movedBlocks, resourceAddresses, synthNamed } from "./support/synth";

const FILE = join(__dirname, "fixtures", "terraform-addresses.json");

interface AddressBook {
  about: string;
  /** environment -> stack -> addresses (type.name) */
  environments: Record<string, Record<string, string[]>>;
  /** environment -> stack -> address -> why it was removed on purpose */
  retired: Record<string, Record<string, Record<string, string>>>;
}

const book = JSON.parse(readFileSync(FILE, "utf8")) as AddressBook;
const recording = process.env.EKS_RECORD_ADDRESSES === "1";

describe.each(environmentNames())("%s", (name) => {
  const synth = synthNamed(name);

  it.each(synth.stacks)("%s stack keeps every recorded resource address, or moves it", (stack) => {
    const json = synth.stack(stack);
    const now = new Set(resourceAddresses(json));
    const moved = movedBlocks(json);
    const retired = book.retired[name]?.[stack] ?? {};
    const recorded = book.environments[name]?.[stack] ?? [];
    const lost = recorded.filter(
      (address) =>
        !now.has(address) && !(address in retired) && !moved.some((m) => m.from === address && now.has(m.to)),
    );
    expect(lost).toEqual([]);
    const unrecorded = [...now].filter((address) => !recorded.includes(address));
    if (recording && unrecorded.length > 0) {
      (book.environments[name] ??= {})[stack] = [...recorded, ...unrecorded].sort();
      writeFileSync(FILE, JSON.stringify(book, null, 2) + "\n");
    } else {
      // Run with EKS_RECORD_ADDRESSES=1 to record new resources.
      expect(unrecorded).toEqual([]);
    }
  });
});
