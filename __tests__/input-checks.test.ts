/**
 * Inputs that used to pass the checks and fail later (at synthesis, at apply, or silently on the
 * nodes), each now refused with the field, the values and a fix, and nothing written (`rejection`
 * runs the synth path); and the warnings that come with them.
 */
import { formatPath } from "../modules/environment/problems";
import { loadEnvironment } from "../modules/load/load";
import { PROJECT_TAGS_PER_RESOURCE } from "../modules/plan/labels";
import { REFUSED_INPUTS } from "./support/refused-inputs";
import { edited, environmentText, load, rejection } from "./support/environments";
import { synthEnvironment as synthVars, synthNamed } from "./support/synth";
import { writeEnvironmentFile } from "./support/environments";

const demo = (edit: Parameters<typeof edited>[1]) => edited("demo", edit);

describe("refused inputs: each names its field and says what is wrong, and nothing is written", () => {
  it.each(REFUSED_INPUTS.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const e = rejection(c.text);
    const errors = e.problems.filter((p) => p.severity === "error");
    if (c.field === "") {
      expect(e.report).toEqual(expect.stringContaining(String(c.message)));
      return;
    }
    const matching = errors.filter((p) => formatPath(p.path) === c.field);
    expect(matching.map((p) => `${p.message}\n${p.fix}`).join("\n")).toEqual(
      c.message instanceof RegExp ? expect.stringMatching(c.message) : expect.stringContaining(c.message),
    );
    for (const p of matching) expect(p.fix.length).toBeGreaterThan(10);
  });
});

describe("labels and taints the kubelet and EKS accept", () => {
  it("accepts well-formed labels, node.kubernetes.io and kubelet.kubernetes.io ones, and empty values", () => {
    const loaded = load(
      demo((d) => {
        d.nodeGroups[0].labels = {
          role: "workers",
          "example.com/team": "a_b.c-d",
          "node.kubernetes.io/pool": "general",
          "x.kubelet.kubernetes.io/flag": "",
        };
        d.nodeGroups[0].taints = [
          { key: "dedicated", value: "gpu", effect: "NO_SCHEDULE" },
          { key: "dedicated", value: "gpu", effect: "NO_EXECUTE" },
          { key: "example.com/spot", effect: "PREFER_NO_SCHEDULE" },
        ];
      }),
    );
    expect(loaded.env.nodeGroups[0].labels["node.kubernetes.io/pool"]).toBe("general");
  });

  it("refuses topology.kubernetes.io labels other than the kubelet's own", () => {
    const e = rejection(demo((d) => (d.nodeGroups[0].labels = { "topology.kubernetes.io/rack": "r1" })));
    expect(e.report).toContain("nodeGroups[0].labels.topology.kubernetes.io/rack");
  });
});

describe("tags", () => {
  it("accepts the characters AWS allows, spaces included, and 40 tags", () => {
    const tags = Object.fromEntries([...Array(39).keys()].map((i) => [`t${i}`, "x"]));
    const loaded = load(demo((d) => (d.tags = { ...tags, "cost center": "a+b=c.d_e:f/g@h-i" })));
    expect(Object.keys(loaded.env.tags)).toHaveLength(40);
  });

  it.each(["demo", "production", "public-pods", "telco"])(
    "%s: every resource carries at most the tags the project reserves, so `tags` may use the rest",
    (name) => {
      const synth = synthNamed(name);
      const userTags = Object.keys(loadEnvironment({ EKS_ENV: name }).env.tags);
      for (const stack of synth.stacks) {
        const json = synth.stack(stack);
        const provider = (json.provider?.aws ?? []) as Array<{ default_tags?: Array<{ tags: object }> }>;
        const projectDefaults = Object.keys(provider[0]?.default_tags?.[0]?.tags ?? {}).filter(
          (k) => !userTags.includes(k),
        );
        expect(projectDefaults.sort()).toEqual(["Cluster", "Environment", "ManagedBy"]);
        for (const [type, byName] of Object.entries(json.resource ?? {})) {
          for (const [id, resource] of Object.entries(byName)) {
            const own = Object.keys((resource.tags as object | undefined) ?? {});
            const count = new Set([...own, ...projectDefaults]).size;
            expect({ resource: `${type}.${id}`, count }).toEqual({
              resource: `${type}.${id}`,
              count: Math.min(count, PROJECT_TAGS_PER_RESOURCE),
            });
          }
        }
      }
    },
  );
});

describe("availability zones", () => {
  it("warns about a zone letter past the region's published zones, naming the field", () => {
    const loaded = load(
      demo((d) => {
        d.network.zones["us-east-1g"] = d.network.zones["us-east-1b"];
        delete d.network.zones["us-east-1b"];
      }),
    );
    const warning = loaded.warnings.find((w) => w.id === "unknown-zone-letter");
    expect(warning).toMatchObject({ path: ["network", "zones", "us-east-1g"] });
    expect(warning?.message).toContain("us-east-1a to us-east-1f");
  });

  it("takes the letters a region really has, gaps included (ca-central-1d), and does not judge regions it has no table for", () => {
    const canada = load(
      demo((d) => {
        d.region = "ca-central-1";
        d.network.zones = {
          "ca-central-1a": d.network.zones["us-east-1a"],
          "ca-central-1d": d.network.zones["us-east-1b"],
        };
      }),
    );
    expect(canada.warnings.map((w) => w.id)).not.toContain("unknown-zone-letter");
    const unknownRegion = load(
      demo((d) => {
        d.region = "xx-north-9";
        d.network.zones = {
          "xx-north-9q": d.network.zones["us-east-1a"],
          "xx-north-9r": d.network.zones["us-east-1b"],
        };
      }),
    );
    expect(unknownRegion.warnings.map((w) => w.id)).toEqual(expect.arrayContaining(["unknown-region"]));
    expect(unknownRegion.warnings.map((w) => w.id)).not.toContain("unknown-zone-letter");
  });

  it("still refuses a zone that is not <region><letter>", () => {
    const e = rejection(
      demo((d) => {
        d.network.zones["us-east-1-bos-1a"] = d.network.zones["us-east-1b"];
        delete d.network.zones["us-east-1b"];
      }),
    );
    expect(e.report).toContain("availability zone us-east-1-bos-1a is not in region us-east-1");
  });
});

describe("public endpoint with no ranges", () => {
  const open = demo((d) => (d.cluster.endpoint = { publicAccess: true, publicAccessCidrs: [] }));

  it("warns as for 0.0.0.0/0: EKS admits every address when given none", () => {
    const warning = load(open).warnings.find((w) => w.id === "open-api-endpoint");
    expect(warning?.message).toContain("publicAccessCidrs is empty: EKS then admits any address (0.0.0.0/0)");
  });

  it("synthesizes 0.0.0.0/0 explicitly, what EKS does, rather than an empty list the provider drops", () => {
    const synth = synthVars({ EKS_ENV_FILE: writeEnvironmentFile("open", open) });
    try {
      const cluster = Object.values(synth.stack("cluster").resource!.aws_eks_cluster)[0] as {
        vpc_config: { public_access_cidrs?: string[]; endpoint_public_access: boolean };
      };
      expect(cluster.vpc_config.public_access_cidrs).toEqual(["0.0.0.0/0"]);
      expect(cluster.vpc_config.endpoint_public_access).toBe(true);
    } finally {
      synth.cleanup();
    }
  });
});

describe("add-on version pins", () => {
  it("accepts a vpc-cni new enough for everything turned on, and any pin when nothing needs it", () => {
    expect(() => load(demo((d) => (d.cluster.addonVersions = { vpcCni: "v1.15.0-eksbuild.2" })))).not.toThrow();
    const plain = demo((d) => {
      d.cni = { customNetworking: false, prefixDelegation: false, externalSnat: false };
      for (const zone of Object.values(d.network.zones) as Array<Record<string, unknown>>) delete zone.pod;
      delete d.nodeGroups[0].maxPods;
      d.cluster.addonVersions = { vpcCni: "v1.0.0-eksbuild.1" };
    });
    expect(() => load(plain)).not.toThrow();
  });

  it("reports a pin too old for prefix delegation once, at the pin, not again as a maxPods the CNI cannot address", () => {
    const e = rejection(demo((d) => (d.cluster.addonVersions = { vpcCni: "v1.8.0-eksbuild.1" })));
    expect(e.problems.filter((p) => p.severity === "error").map((p) => formatPath(p.path))).toEqual([
      "cluster.addonVersions.vpcCni",
    ]);
  });
});

describe("YAML syntax errors: counted right, each once", () => {
  it("one tab in the indentation is one error, named as such, at its line", () => {
    const e = rejection(environmentText("demo").replace("\n  vpcCidr", "\n\tvpcCidr"), "tab");
    const line =
      environmentText("demo")
        .split("\n")
        .findIndex((l) => l.startsWith("  vpcCidr")) + 1;
    expect(e.failures).toBe(1);
    expect(e.message).toMatch(/^\S+tab\.yaml: 1 error in the environment/);
    expect(e.report.split("\n").filter((l) => l.includes(": error:"))).toEqual([
      expect.stringContaining(`tab.yaml:${line}: error: YAML syntax: a tab in the indentation`),
    ]);
  });

  it("two tab-indented lines are two errors", () => {
    const text = environmentText("demo")
      .replace("\n  vpcCidr", "\n\tvpcCidr")
      .replace("\n  natGateways", "\n\tnatGateways");
    expect(rejection(text).failures).toBe(2);
  });

  it("a broken flow sequence is one error, not a cascade, and says that what follows is checked once it parses", () => {
    const e = rejection("region: us-east-1\nnetwork: [\ncluster: {}\n", "broken");
    expect(e.failures).toBe(1);
    expect(e.report).toMatch(/broken\.yaml:\d+: error: YAML syntax: .*\n {2}fix: correct the YAML at this line/);
  });

  it("every duplicate key is reported, each once", () => {
    const text =
      environmentText("demo").replace("region: us-east-1", "region: us-east-1\nregion: us-east-2") + "\nregion: x\n";
    const e = rejection(text);
    expect(e.report.match(/error: YAML syntax: Map keys must be unique/g)).toHaveLength(2);
  });
});
