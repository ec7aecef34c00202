import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import type { Network, NetworkOwner } from "../../environment/schema";
import { localStatePath, STACKS } from "../../plan/names";
import { plannedSubnets } from "../../plan/subnets";
import { remoteStateOf } from "../backend/state-backend";
import { KnownZoneSubnets, subnetIdsOutputKey, type ZoneSubnetIds } from "./zone-subnet-ids";

export interface SharedNetworkProps {
  /** The environment that creates the network. */
  readonly owner: NetworkOwner;
  /** Its network, as its file plans it. */
  readonly network: Network;
}

/** The stack of the owner whose state holds the network. */
const NETWORK_STACK = STACKS[0];

/**
 * Another environment's VPC and subnets, read from its network stack's state through its own backend
 * (terraform_remote_state): nothing is created, so nothing of the network is destroyed with this
 * environment. The read checks at plan time that the owner's network is deployed with the VPC blocks
 * its file plans, so a plan never runs against a network that is missing or not yet updated.
 */
export class SharedNetwork extends Construct {
  readonly vpcId: string;
  readonly zones: Record<string, ZoneSubnetIds> = {};

  constructor(scope: Construct, id: string, props: SharedNetworkProps) {
    super(scope, id);
    const { owner, network } = props;
    const state = remoteStateOf(this, "state", owner.backend, owner.name, NETWORK_STACK);
    const blocks = [network.vpcCidr, ...network.secondaryCidrs].join(",");
    // A local state file is on the machine that deployed the owner: anyone else finds it missing, and
    // deploying the owner's network from there would make a second VPC, not find the first.
    const elsewhere =
      owner.backend.type === "local"
        ? `; if it was deployed from another machine, its state (${localStatePath(owner.backend.directory, owner.name, NETWORK_STACK)}) is there: move both environments to a shared backend (s3 or cloud) rather than deploying it again, which would create a second VPC`
        : "";
    const deploy = `deploy it first: EKS_ENV=${owner.name} npm run deploy -- ${NETWORK_STACK} (or EKS_ENV_FILE=${owner.file})${elsewhere}`;
    state.addOverride("lifecycle", {
      postcondition: [
        {
          condition: "${can(self.outputs.vpc_id) && can(self.outputs.subnet_ids)}",
          error_message: `The network stack of ${owner.name}, whose network this environment shares, has no VPC in its state: ${deploy}.`,
        },
        {
          condition: `\${try(join(",", self.outputs.vpc_cidrs), "") == "${blocks}"}`,
          error_message: `The VPC of ${owner.name} is deployed with other blocks than its file plans (${blocks}): ${deploy}.`,
        },
      ],
    });
    this.vpcId = state.getString("vpc_id");
    const byRole = state.get("subnet_ids");
    for (const az of Object.keys(network.zones)) {
      const ids: Partial<Record<string, string>> = {};
      for (const subnet of plannedSubnets(network).filter((s) => s.az === az && s.role !== "multus"))
        ids[subnet.role] = Token.asString(Fn.lookup(Fn.lookup(byRole, subnetIdsOutputKey(subnet.role)), az));
      this.zones[az] = new KnownZoneSubnets(az, ids);
    }
  }
}
