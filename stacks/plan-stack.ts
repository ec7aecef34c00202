import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { addStateBackend } from "../modules/constructs/backend/state-backend";
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
    addStateBackend(this, env.backend, name);
    this.aws = new AwsProvider(this, "aws", {
      region: env.region,
      defaultTags: [{ tags: environmentTags(name, env.cluster.name, env.tags) }],
    });
  }
}
