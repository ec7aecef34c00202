/** Value types shared by the sections: CIDRs, names, versions. */
import { z } from "zod";

const IPV4_CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

export const Cidr = z
  .string()
  .regex(IPV4_CIDR, { message: "must be an IPv4 CIDR block such as 10.0.0.0/16" })
  .meta({ description: "IPv4 CIDR block, network address and prefix length (a.b.c.d/n)." });

export const Name = (what: string, max: number) =>
  z.string().regex(new RegExp(`^[A-Za-z0-9][A-Za-z0-9_-]{0,${max - 1}}$`), {
    message: `must be a ${what}: letters, digits, '-' and '_', starting with a letter or digit, at most ${max} characters`,
  });

/** Kubernetes names (namespaces, workloads): RFC 1123 labels. */
export const KubeName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  message: "must be a Kubernetes name: lower-case letters, digits and '-', at most 63 characters",
});

export const AddonVersion = z.string().regex(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/, {
  message: "must be an EKS add-on version such as v1.20.4-eksbuild.1",
});

/** The AWS CLI v2 image (public.ecr.aws/aws-cli/aws-cli:<version>) the project's sidecars run in. */
export const AwsCliVersion = z
  .string()
  .regex(/^\d+\.\d+\.\d+$/, { message: "must be an AWS CLI v2 release such as 2.32.9" })
  .default("2.32.9");
