import { TerraformElement } from "cdktf";
import type { Construct } from "constructs";

export interface ForgottenResourceProps {
  /** The Terraform type of the resource that stood at this construct path, e.g. aws_eip_association. */
  readonly resourceType: string;
}

/**
 * A Terraform `removed` block (Terraform 1.7+) with `destroy = false` for the resource that used to
 * stand at this construct path: Terraform forgets it (drops it from state) and leaves the real object
 * alone, where deleting the block alone would destroy it. Placed where the resource was, it gets the
 * resource's former logical id by construction. A removed block whose resource is not in state is a
 * no-op (checked with Terraform 1.11), so it is safe in every deployment.
 *
 * cdktf 0.21 has no removed blocks: the element writes itself into the JSON, and the HCL export
 * (scripts/synth-hcl.ts) writes the same block from `from`.
 */
export class ForgottenResource extends TerraformElement {
  /** type.logical_id of the forgotten resource. */
  readonly from: string;

  constructor(scope: Construct, id: string, props: ForgottenResourceProps) {
    super(scope, id);
    this.from = `${props.resourceType}.${this.friendlyUniqueId}`;
  }

  static isForgottenResource(x: unknown): x is ForgottenResource {
    return x instanceof ForgottenResource;
  }

  override toTerraform(): Record<string, unknown> {
    return { removed: [{ from: this.from, lifecycle: { destroy: false } }] };
  }

  override toHclTerraform(): Record<string, unknown> {
    return {};
  }

  override toMetadata(): Record<string, unknown> {
    return {};
  }
}
