/**
 * Every environment file of a folder and the networks file, loaded for the plan across
 * environments. Each environment is validated on its own first (an invalid one is reported, and left
 * out of the rules across environments); the valid ones are grouped by the VPC they run in: the
 * environment that creates it with every environment sharing it (`network.from`, its owner loaded
 * even from outside the folder), and all environments naming one existing VPC id together.
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { AddressPlanInput, PlanMember, PlannedNetwork } from "../checks/address-plan-ranges";
import { InvalidEnvironmentError } from "../environment/problems";
import { displayPath, environmentNames, parseEnvironment, readAddressLock, type LoadedEnvironment } from "./load";
import { loadNetworks, type LoadedNetworks } from "./networks";

export interface PlannedEnvironment {
  /** The file's base name, or the loaded environment's name. */
  name: string;
  file: string;
  loaded?: LoadedEnvironment;
  /** Why it is left out of the plan. */
  invalid?: InvalidEnvironmentError;
}

export interface LoadedAddressPlan {
  /** The folder, as shown. */
  directory: string;
  environments: PlannedEnvironment[];
  networksFile: LoadedNetworks;
  /** What the rules across environments judge: the valid environments by network, and a valid networks file. */
  input: AddressPlanInput;
}

export function loadAddressPlan(dir: string, networksPath: string): LoadedAddressPlan {
  const environments = environmentNames(dir).map((name): PlannedEnvironment & { path: string } => {
    const path = resolve(dir, `${name}.yaml`);
    const file = displayPath(path);
    try {
      const loaded = parseEnvironment(readFileSync(path, "utf8"), path, readAddressLock(path));
      return { name: loaded.name, file, loaded, path };
    } catch (e) {
      if (!(e instanceof InvalidEnvironmentError)) throw e;
      return { name, file, invalid: e, path };
    }
  });
  const networksFile = loadNetworks(networksPath);
  const networks = new Map<string, PlannedNetwork>();
  const member = (loaded: LoadedEnvironment): PlanMember => ({
    name: loaded.name,
    file: loaded.file,
    env: loaded.env,
    locate: loaded.locate,
  });
  const byPath = new Map(environments.filter((e) => e.loaded).map((e) => [e.path, member(e.loaded!)]));
  for (const { loaded, path } of environments) {
    if (!loaded) continue;
    const { source } = loaded.env.network;
    const self = byPath.get(path)!;
    switch (source.kind) {
      case "own":
        addMember(networks, path, self, self);
        break;
      case "shared": {
        const ownerPath = resolve(dirname(path), source.from);
        // The owner is a member too: from the folder, else as this environment loaded it.
        const owner = byPath.get(ownerPath) ?? member(loaded.networkOwner!);
        if (!byPath.has(ownerPath)) {
          byPath.set(ownerPath, owner);
          addMember(networks, ownerPath, owner, owner);
        }
        addMember(networks, ownerPath, owner, self);
        break;
      }
      case "existing":
        addMember(networks, `vpc:${source.vpcId}`, self, self);
        break;
    }
  }
  return {
    directory: `${displayPath(dir).replace(/\/$/, "")}/`,
    environments: environments.map(({ name, file, loaded, invalid }) => ({ name, file, loaded, invalid })),
    networksFile,
    input: {
      networks: [...networks.values()],
      ...(networksFile.networks
        ? { networksFile: { file: networksFile.file, locate: networksFile.locate, networks: networksFile.networks } }
        : {}),
    },
  };
}

/** Adds a member to the network at `key`, which `declaredBy` declares (the first one seen, for an existing VPC). */
function addMember(networks: Map<string, PlannedNetwork>, key: string, declaredBy: PlanMember, m: PlanMember): void {
  const network = networks.get(key) ?? { declaredBy, members: [] };
  networks.set(key, network);
  if (!network.members.includes(m)) network.members.push(m);
}
