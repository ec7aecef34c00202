/**
 * The AMI each node group boots (plan/node-ami.ts): GPU and Neuron types get the AL2023 variant with
 * their drivers, or are refused when AWS publishes none; a pinned release must be new enough for the
 * devices it drives.
 */
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";
import { familyOf, nodeAmiFor, variantFamilies } from "../plan/node-ami";

export function checkNodeAmis(env: Environment): Problem[] {
  const problems: Problem[] = [];
  const release = env.cluster.nodeAmiRelease;
  env.nodeGroups.forEach((group, i) => {
    const at = ["nodeGroups", i, "instanceType"];
    const ami = nodeAmiFor(group.instanceType);
    const family = familyOf(group.instanceType);
    switch (ami.kind) {
      case "ami":
        // Releases are vYYYYMMDD, so they compare as strings.
        if (ami.minimumRelease && release !== "latest" && release < ami.minimumRelease) {
          problems.push(
            error(
              at,
              `${group.name}: ${group.instanceType} needs the AL2023 ${ami.variant} AMI of release ${ami.minimumRelease} or later to drive its devices, but cluster.nodeAmiRelease pins ${release}`,
              `pin ${ami.minimumRelease} or later in cluster.nodeAmiRelease (or "latest"), or pick another instance type`,
            ),
          );
        }
        return;
      case "unsupported-accelerator": {
        const nvidia = variantFamilies("nvidia", ami.arch);
        problems.push(
          error(
            at,
            `${group.name}: ${group.instanceType} carries ${ami.devices}, and no AL2023 EKS AMI has drivers for them (the ${ami.arch} nvidia variant supports ${nvidia.join(", ")}${ami.arch === "x86_64" ? `; the neuron variant supports ${variantFamilies("neuron", "x86_64").join(", ")}` : ""}): on the standard AMI the ${family} devices would be unusable`,
            "pick an instance type of a family those variants support (g6, g5, p5 for NVIDIA GPUs; inf2, trn1 for Neuron), or one without accelerators",
          ),
        );
        return;
      }
      case "ami-without-device-drivers":
        problems.push(
          warning(
            at,
            `${group.name}: ${group.instanceType} boots the standard AL2023 AMI, which has no drivers for its ${ami.devices}: the nodes work, the ${family} devices stay unusable`,
            "use an instance type without accelerators unless you install their drivers yourself",
            "accelerator-without-drivers",
          ),
        );
        return;
    }
  });
  return problems;
}
