/** `workloads`: the sample workload, public-IP pods and Multus pods. */
import { z } from "zod";
import { KubeName } from "./primitives";

const Resources = z.strictObject({
  cpu: z.string().optional(),
  memory: z.string().optional(),
});

export const Workloads = z.strictObject({
  bootcamp: z
    .strictObject({
      namespace: KubeName.default("bootcamp"),
      replicas: z.number().int().min(0).default(2),
      requests: Resources.default({ cpu: "100m", memory: "64Mi" }),
      limits: Resources.default({ memory: "128Mi" }),
    })
    .optional()
    .meta({ description: "The sample kubernetes-bootcamp Deployment." }),
  publicIpPods: z
    .array(
      z.strictObject({
        name: KubeName,
        namespace: KubeName.default("default"),
        image: z.string().min(1),
        replicas: z.number().int().min(1),
        port: z.number().int().min(1).max(65535),
        nodeGroups: z.array(z.string()).min(1).optional().meta({
          description:
            "Node groups the pods run on; they must be in public subnets. Absent: every node group with subnet: public.",
        }),
        keepAddresses: z.boolean().default(true).meta({
          description:
            "Protect the Elastic IPs from destruction (Terraform prevent_destroy), so an allow-listed address is never released by accident.",
        }),
      }),
    )
    .default([])
    .meta({ description: "StatefulSets whose pods each own a fixed public Elastic IP." }),
  multusPods: z
    .array(
      z.strictObject({
        name: KubeName,
        namespace: KubeName.default("default"),
        image: z.string().min(1),
        command: z.array(z.string()).min(1).optional().meta({
          description: "The container's command (entrypoint and arguments). Absent: the image's own.",
        }),
        replicas: z.number().int().min(1).meta({
          description:
            "Pods per AZ. A Multus network's address range differs per AZ, so each AZ where the pods can run (every listed network has a range there and Multus nodes carry its interface) gets its own Deployment, <name>-<az>.",
        }),
        networks: z.array(KubeName).min(1).meta({
          description:
            "Names of multus.networks; each pod gets one extra interface (net1, net2, ...) per network, in this order.",
        }),
      }),
    )
    .default([])
    .meta({ description: "Deployments whose pods get one extra interface per listed Multus network." }),
});
