import type { ITerraformDependable } from "cdktf";
import { Fn } from "cdktf";
import { Construct } from "constructs";
import type { AwsManagedPolicies } from "./aws-managed-policy";
import { ServiceRole } from "./service-role";

export interface IrsaRoleProps {
  /** The role's name (plan/names.ts). */
  readonly name: string;
  readonly description: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly oidcProviderArn: string;
  /** https://oidc.eks.<region>.amazonaws.com/id/<id> */
  readonly oidcIssuer: string;
  readonly managedPolicies: readonly string[];
  readonly policies: AwsManagedPolicies;
}

/**
 * An IAM role for one Kubernetes service account (IRSA): only tokens the cluster's OIDC issuer signs
 * for exactly that namespace and name, with the STS audience, can assume it.
 */
export class IrsaRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  readonly dependables: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: IrsaRoleProps) {
    super(scope, id);
    const issuerHost = Fn.replace(props.oidcIssuer, "https://", "");
    const role = new ServiceRole(this, "irsa", {
      name: props.name,
      description: props.description,
      trust: {
        actions: ["sts:AssumeRoleWithWebIdentity"],
        principals: [{ type: "Federated", identifiers: [props.oidcProviderArn] }],
        condition: [
          {
            test: "StringEquals",
            variable: `${issuerHost}:sub`,
            values: [`system:serviceaccount:${props.namespace}:${props.serviceAccount}`],
          },
          { test: "StringEquals", variable: `${issuerHost}:aud`, values: ["sts.amazonaws.com"] },
        ],
      },
      managedPolicies: props.managedPolicies,
      policies: props.policies,
    });
    this.roleArn = role.roleArn;
    this.roleName = role.roleName;
    this.dependables = role.dependables;
  }
}
