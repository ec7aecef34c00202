/**
 * The live state verify compares with the plan, as the standard JSON output of nine kubectl and aws
 * commands, one file each. `verify --from DIR` reads such files; `verify --record DIR` and plain
 * `verify` produce the same texts from the live cluster; both then go through readRecordedState, so
 * there is one reader.
 *
 * The schemas name only the fields verify reads, and let every other field through (a newer kubectl
 * or AWS CLI adds fields). Shapes: Kubernetes API types (kubernetes-models), the EC2 service model
 * (the AWS CLI prints its members as they are); /work/notes/verify.md has examples of each.
 */
import { z } from "zod";

const Tags = z.array(z.looseObject({ Key: z.string(), Value: z.string().optional() }));
const StringMap = z.record(z.string(), z.string());
const Metadata = z.looseObject({
  name: z.string(),
  namespace: z.string().optional(),
  labels: StringMap.optional(),
  annotations: StringMap.optional(),
});
/** `kubectl get ... -o json` prints a List; the API server's own lists (NodeList, ...) have the same `items`. */
const list = <T extends z.ZodType>(item: T) => z.looseObject({ items: z.array(item) });

const Node = z.looseObject({
  metadata: Metadata,
  spec: z.looseObject({ providerID: z.string().optional() }).optional(),
  status: z
    .looseObject({
      addresses: z.array(z.looseObject({ address: z.string(), type: z.string() })).optional(),
      allocatable: StringMap.optional(),
    })
    .optional(),
});

const Pod = z.looseObject({
  metadata: Metadata,
  spec: z.looseObject({ nodeName: z.string().optional(), hostNetwork: z.boolean().optional() }).optional(),
  status: z
    .looseObject({
      phase: z.string().optional(),
      podIP: z.string().optional(),
      hostIP: z.string().optional(),
    })
    .optional(),
});

const Service = z.looseObject({
  metadata: Metadata,
  spec: z
    .looseObject({
      type: z.string().optional(),
      clusterIP: z.string().optional(),
      clusterIPs: z.array(z.string()).optional(),
    })
    .optional(),
});

const EniConfig = z.looseObject({
  metadata: Metadata,
  spec: z.looseObject({ subnet: z.string().optional(), securityGroups: z.array(z.string()).optional() }).optional(),
});

const EnvVar = z.looseObject({ name: z.string(), value: z.string().optional() });
const DaemonSet = z.looseObject({
  metadata: Metadata,
  spec: z.looseObject({
    template: z.looseObject({
      spec: z.looseObject({
        containers: z.array(z.looseObject({ name: z.string(), env: z.array(EnvVar).optional() })),
      }),
    }),
  }),
});

const Subnet = z.looseObject({
  SubnetId: z.string(),
  VpcId: z.string().optional(),
  CidrBlock: z.string(),
  AvailabilityZone: z.string(),
  AvailableIpAddressCount: z.number().optional(),
  Tags: Tags.optional(),
});

const NetworkInterface = z.looseObject({
  NetworkInterfaceId: z.string(),
  SubnetId: z.string(),
  InterfaceType: z.string().optional(),
  Description: z.string().optional(),
  PrivateIpAddress: z.string().optional(),
  PrivateIpAddresses: z
    .array(z.looseObject({ PrivateIpAddress: z.string(), Primary: z.boolean().optional() }))
    .optional(),
  Ipv4Prefixes: z.array(z.looseObject({ Ipv4Prefix: z.string() })).optional(),
  Attachment: z.looseObject({ InstanceId: z.string().optional(), DeviceIndex: z.number().optional() }).optional(),
  Groups: z.array(z.looseObject({ GroupId: z.string(), GroupName: z.string().optional() })).optional(),
  TagSet: Tags.optional(),
});

const Address = z.looseObject({
  PublicIp: z.string(),
  AllocationId: z.string().optional(),
  AssociationId: z.string().optional(),
  NetworkInterfaceId: z.string().optional(),
  PrivateIpAddress: z.string().optional(),
  Tags: Tags.optional(),
});

const Reservation = z.looseObject({
  SubnetCidrReservationId: z.string().optional(),
  SubnetId: z.string(),
  Cidr: z.string(),
  ReservationType: z.string(),
  Description: z.string().optional(),
});

/** Each file: its name, the command that records it, and its shape. */
export const RECORDED_FILES = {
  nodes: { file: "nodes.json", command: "kubectl get nodes -o json", schema: list(Node) },
  pods: { file: "pods.json", command: "kubectl get pods -A -o json", schema: list(Pod) },
  services: { file: "services.json", command: "kubectl get services -A -o json", schema: list(Service) },
  eniConfigs: {
    file: "eniconfigs.json",
    command: "kubectl get eniconfigs.crd.k8s.amazonaws.com -o json",
    schema: list(EniConfig),
  },
  awsNode: {
    file: "aws-node.json",
    command: "kubectl -n kube-system get daemonset aws-node -o json",
    schema: DaemonSet,
  },
  subnets: {
    file: "subnets.json",
    command: "aws ec2 describe-subnets --filters Name=vpc-id,Values=<vpc> --output json",
    schema: z.looseObject({ Subnets: z.array(Subnet) }),
  },
  networkInterfaces: {
    file: "network-interfaces.json",
    command: "aws ec2 describe-network-interfaces --filters Name=vpc-id,Values=<vpc> --output json",
    schema: z.looseObject({ NetworkInterfaces: z.array(NetworkInterface) }),
  },
  addresses: {
    file: "addresses.json",
    command: "aws ec2 describe-addresses --output json",
    schema: z.looseObject({ Addresses: z.array(Address) }),
  },
  reservations: {
    file: "subnet-cidr-reservations.json",
    command: "aws ec2 get-subnet-cidr-reservations --subnet-id <id> --output json, per planned subnet, merged",
    schema: z.looseObject({ SubnetIpv4CidrReservations: z.array(Reservation) }),
  },
} as const;

export type StateKey = keyof typeof RECORDED_FILES;
export const STATE_KEYS = Object.keys(RECORDED_FILES) as StateKey[];
export type RecordedFileName = (typeof RECORDED_FILES)[StateKey]["file"];

export type NodeObject = z.infer<typeof Node>;
export type PodObject = z.infer<typeof Pod>;
export type ServiceObject = z.infer<typeof Service>;
export type EniConfigObject = z.infer<typeof EniConfig>;
export type DaemonSetObject = z.infer<typeof DaemonSet>;
export type SubnetRecord = z.infer<typeof Subnet>;
export type NetworkInterfaceRecord = z.infer<typeof NetworkInterface>;
export type AddressRecord = z.infer<typeof Address>;
export type ReservationRecord = z.infer<typeof Reservation>;

/** What the files hold, each absent when its file is. */
export interface RecordedState {
  nodes?: NodeObject[];
  pods?: PodObject[];
  services?: ServiceObject[];
  eniConfigs?: EniConfigObject[];
  awsNode?: DaemonSetObject;
  subnets?: SubnetRecord[];
  networkInterfaces?: NetworkInterfaceRecord[];
  addresses?: AddressRecord[];
  reservations?: ReservationRecord[];
}

/** A file that is not the output of its command. */
export class RecordedStateError extends Error {
  name = "RecordedStateError";
}

/** Reads the texts of the files that exist (keyed by file name); a file that does not parse throws RecordedStateError. */
export function readRecordedState(texts: Partial<Record<RecordedFileName, string>>): RecordedState {
  const state: RecordedState = {};
  for (const key of STATE_KEYS) {
    const { file, command, schema } = RECORDED_FILES[key];
    const text = texts[file];
    if (text === undefined) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new RecordedStateError(`${file}: not JSON (${(error as Error).message}); record it with \`${command}\``);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const at = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
      throw new RecordedStateError(
        `${file}: not the output of \`${command}\`: ${at.replace(/^\./, "") || "the document"}: ${issue.message}`,
      );
    }
    assign(state, key, parsed.data);
  }
  return state;
}

function assign(state: RecordedState, key: StateKey, data: unknown): void {
  const doc = data as Record<string, unknown>;
  switch (key) {
    case "awsNode":
      state.awsNode = data as DaemonSetObject;
      return;
    case "subnets":
      state.subnets = doc.Subnets as SubnetRecord[];
      return;
    case "networkInterfaces":
      state.networkInterfaces = doc.NetworkInterfaces as NetworkInterfaceRecord[];
      return;
    case "addresses":
      state.addresses = doc.Addresses as AddressRecord[];
      return;
    case "reservations":
      state.reservations = doc.SubnetIpv4CidrReservations as ReservationRecord[];
      return;
    case "nodes":
    case "pods":
    case "services":
    case "eniConfigs":
      (state as Record<string, unknown>)[key] = doc.items;
      return;
  }
}
