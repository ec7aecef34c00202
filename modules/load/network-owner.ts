/**
 * An environment's network, resolved: its own VPC as written, an existing VPC by id, or the network
 * of the environment its `network.from` names, whose file is found relative to this one, loaded and
 * checked (with every one of its problems) before its network is taken. Only an environment that
 * creates its VPC can be shared: a chain would leave the VPC's real owner out of view.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { error, InvalidEnvironmentError, type Problem } from "../environment/problems";
import type { Environment, EnvironmentFile, Network, NetworkFile } from "../environment/schema";

/** What the loader makes of an environment file (load.ts's LoadedEnvironment, as far as needed here). */
export interface NetworkOwnerCandidate {
  name: string;
  file: string;
  env: Environment;
}

export interface ResolvedEnvironment<T> {
  /** Undefined when the network cannot be resolved; `problems` then say why. */
  env?: Environment;
  /** The environment whose network this one shares. */
  owner?: T;
  problems: Problem[];
}

const FROM: readonly string[] = ["network", "from"];

/** Resolves the network of a file whose network form is valid (checks/network-form.ts). */
export function resolveEnvironment<T extends NetworkOwnerCandidate>(
  file: EnvironmentFile,
  path: string,
  parse: (text: string, file: string) => T,
): ResolvedEnvironment<T> {
  const { network } = file;
  if (network.from === undefined) return { env: { ...file, network: ownOrExisting(network) }, problems: [] };
  const found = loadOwner(network.from, path, parse);
  if (!found.owner) return { problems: found.problems };
  const { owner } = found;
  const shared: Network = {
    ...owner.env.network,
    source: {
      kind: "shared",
      from: network.from,
      owner: {
        name: owner.name,
        file: owner.file,
        region: owner.env.region,
        clusterName: owner.env.cluster.name,
        backend: owner.env.backend,
        cni: owner.env.cni,
      },
    },
  };
  return { env: { ...file, network: shared }, owner, problems: [] };
}

function ownOrExisting(network: NetworkFile): Network {
  // checks/network-form.ts has made sure both are there.
  const base = { vpcCidr: network.vpcCidr!, secondaryCidrs: network.secondaryCidrs ?? [], zones: network.zones! };
  if (network.vpcId !== undefined)
    return {
      ...base,
      natGateways: "none",
      source: { kind: "existing", vpcId: network.vpcId, subnetIds: network.subnetIds ?? {} },
    };
  return {
    ...base,
    natGateways: network.natGateways ?? "single",
    ...(network.ipamPoolId === undefined ? {} : { ipamPoolId: network.ipamPoolId }),
    source: { kind: "own" },
  };
}

function loadOwner<T extends NetworkOwnerCandidate>(
  from: string,
  path: string,
  parse: (text: string, file: string) => T,
): { owner?: T; problems: Problem[] } {
  const fail = (message: string, fix: string) => ({ problems: [error(FROM, message, fix)] });
  const ownerPath = resolve(dirname(path), from);
  if (ownerPath === resolve(path))
    return fail("names this file itself", "name the file of the environment whose network this one uses");
  if (!existsSync(ownerPath))
    return fail(
      `there is no file ${ownerPath} (the path is taken relative to this file's folder, ${dirname(resolve(path))})`,
      "give the path of the environment file whose network to use, relative to this file, e.g. ./demo.yaml",
    );
  const text = readFileSync(ownerPath, "utf8");
  const raw = rawNetwork(text);
  if (typeof raw?.from === "string") {
    const next = relative(dirname(resolve(path)), resolve(dirname(ownerPath), raw.from));
    return fail(
      `${from} takes its network from ${raw.from} itself; only an environment that creates its VPC can be shared`,
      `name that environment directly: network.from: ${next.startsWith(".") ? next : `./${next}`}`,
    );
  }
  if (typeof raw?.vpcId === "string")
    return fail(
      `${from} runs in the existing VPC ${raw.vpcId}, which it does not own; only an environment that creates its VPC can be shared`,
      `name the existing VPC here too: network.vpcId: ${raw.vpcId}, with the CIDRs and ids of the subnets this cluster uses`,
    );
  try {
    return { owner: parse(text, ownerPath), problems: [] };
  } catch (e) {
    if (!(e instanceof InvalidEnvironmentError)) throw e;
    const errors = e.problems.filter((p) => p.severity === "error").length || 1;
    return fail(
      `${from} is not a valid environment (${errors} error${errors === 1 ? "" : "s"}), so its network cannot be used:\n${indent(e.report)}`,
      `correct ${e.file} first`,
    );
  }
}

/**
 * The environment files beside `file` whose `network.from` names it: the environments that run in
 * its network (read as written, unchecked; `npm run destroy` warns of them before the network goes).
 * Consumers in other folders cannot be found this way; the network stack's guard sees them all.
 */
export function networkConsumers(file: string): Array<{ name: string; file: string }> {
  const target = resolve(file);
  const dir = dirname(target);
  return readdirSync(dir)
    .filter((f) => extname(f) === ".yaml" && join(dir, f) !== target)
    .sort()
    .flatMap((f) => {
      const from = rawNetwork(readFileSync(join(dir, f), "utf8"))?.from;
      return typeof from === "string" && resolve(dir, from) === target
        ? [{ name: basename(f, ".yaml"), file: join(dir, f) }]
        : [];
    });
}

function rawNetwork(text: string): { from?: unknown; vpcId?: unknown } | undefined {
  try {
    const doc = parseYaml(text) as { network?: { from?: unknown; vpcId?: unknown } } | null;
    return doc?.network ?? undefined;
  } catch {
    return undefined; // the loader reports the syntax error with its line
  }
}

const indent = (text: string) =>
  text
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
