import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import {
  addStateBackend,
  STATE_LOCATION_CONTEXT,
  type StateLocation,
} from "../modules/constructs/backend/state-backend";
import type { LoadedEnvironment } from "../modules/load/load";
import { environmentTags } from "../modules/plan/labels";

/** What every stack starts with: the environment's state backend and an AWS provider tagging everything with the environment. */
export class PlanStack extends TerraformStack {
  readonly aws: AwsProvider;

  constructor(
    scope: Construct,
    id: string,
    readonly environment: LoadedEnvironment,
  ) {
    super(scope, id);
    const { env, name } = environment;
    // buildApp (app.ts) puts it in the context; a stack built on its own keeps the default.
    const location = (this.node.tryGetContext(STATE_LOCATION_CONTEXT) ?? {}) as StateLocation;
    addStateBackend(this, env.backend, name, location);
    this.aws = new AwsProvider(this, "aws", {
      region: env.region,
      defaultTags: [{ tags: environmentTags(name, env.cluster.name, env.tags) }],
    });
  }
}
