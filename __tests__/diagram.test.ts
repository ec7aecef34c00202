import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, copyFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { NETWORKS_FILE } from "../modules/load/networks";
import { ENVIRONMENTS_DIR, environmentNames, loadEnvironment } from "../modules/load/load";
import { networkDiagramSvg } from "../modules/report/diagram/network-diagram";
import { textWidth } from "../modules/report/diagram/text-metrics";
import { DOCS_DIR, run } from "../scripts/diagram";
import { edited, environmentText, load } from "./support/environments";

// --- A minimal XML reader: enough to prove the SVG well-formed and to look at what it draws. ---

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** Character data directly inside the element, entities decoded. */
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const isNameStart = (c: string) => (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c === "_" || c === ":";
const isNameChar = (c: string) => isNameStart(c) || (c >= "0" && c <= "9") || c === "-" || c === ".";
const isSpace = (c: string) => c === " " || c === "\n" || c === "\t" || c === "\r";

function decode(raw: string, where: number): string {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === "<") throw new Error(`unescaped < at ${where + i}`);
    if (raw[i] !== "&") {
      out += raw[i];
      continue;
    }
    const end = raw.indexOf(";", i);
    const entity = end < 0 ? "" : raw.slice(i + 1, end);
    if (entity in ENTITIES) out += ENTITIES[entity];
    else if (/^#(\d+|x[0-9a-fA-F]+)$/.test(entity))
      out += String.fromCodePoint(Number(entity.startsWith("#x") ? "0" + entity.slice(1) : entity.slice(1)));
    else throw new Error(`bad entity at ${where + i}: ${raw.slice(i, i + 10)}`);
    i = end;
  }
  return out;
}

/** Parses a document of elements, attributes and text; throws on anything not well-formed. */
function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at ${i}: ${JSON.stringify(src.slice(i, i + 30))}`);
  };
  const name = () => {
    const start = i;
    if (!isNameStart(src[i] ?? "")) fail("expected a name");
    while (i < src.length && isNameChar(src[i])) i++;
    return src.slice(start, i);
  };
  const skipSpace = () => {
    while (i < src.length && isSpace(src[i])) i++;
  };
  if (src.startsWith("<?xml")) {
    i = src.indexOf("?>");
    if (i < 0) fail("unterminated declaration");
    i += 2;
  }
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (i < src.length) {
    if (src[i] !== "<") {
      const end = src.indexOf("<", i) < 0 ? src.length : src.indexOf("<", i);
      const text = decode(src.slice(i, end), i);
      if (stack.length === 0 && text.trim() !== "") fail("text outside the root element");
      if (stack.length > 0) stack[stack.length - 1].text += text;
      i = end;
      continue;
    }
    if (src.startsWith("</", i)) {
      i += 2;
      const closing = name();
      skipSpace();
      if (src[i] !== ">") fail("expected >");
      i++;
      const open = stack.pop();
      if (!open || open.name !== closing) fail(`</${closing}> closes ${open ? `<${open.name}>` : "nothing"}`);
      continue;
    }
    if (root && stack.length === 0) fail("a second root element");
    i++;
    const element: XmlElement = { name: name(), attrs: {}, children: [], text: "" };
    for (;;) {
      const hadSpace = isSpace(src[i] ?? "");
      skipSpace();
      if (src.startsWith("/>", i) || src[i] === ">") break;
      if (!hadSpace) fail("expected a space before an attribute");
      const attr = name();
      if (attr in element.attrs) fail(`duplicate attribute ${attr}`);
      if (src[i] !== "=") fail("expected =");
      i++;
      const quote = src[i];
      if (quote !== '"' && quote !== "'") fail("expected a quoted value");
      const end = src.indexOf(quote, i + 1);
      if (end < 0) fail("unterminated value");
      element.attrs[attr] = decode(src.slice(i + 1, end), i + 1);
      i = end + 1;
    }
    if (stack.length > 0) stack[stack.length - 1].children.push(element);
    else root = element;
    if (src.startsWith("/>", i)) i += 2;
    else {
      i++;
      stack.push(element);
    }
  }
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1].name}> is never closed`);
  if (!root) throw new Error("no root element");
  return root;
}

const descendants = (e: XmlElement): XmlElement[] => e.children.flatMap((c) => [c, ...descendants(c)]);

// --- Geometry of what is drawn. ---

interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface DrawnText extends Rect {
  content: string;
  baseline: number;
  anchorX: number;
}

const rectsOf = (svg: XmlElement): Rect[] =>
  descendants(svg)
    .filter((e) => e.name === "rect")
    .map((e) => ({
      x: Number(e.attrs.x),
      y: Number(e.attrs.y),
      width: Number(e.attrs.width),
      height: Number(e.attrs.height),
    }));

/** Each text with the box it takes, estimated as the generator estimates it (ascent 0.8, descent 0.2 of the size). */
function textsOf(svg: XmlElement): DrawnText[] {
  return descendants(svg)
    .filter((e) => e.name === "text")
    .map((e) => {
      const size = Number(e.attrs["font-size"]);
      const width = textWidth(e.text, size, e.attrs["font-weight"] === "bold");
      const anchorX = Number(e.attrs.x);
      const x =
        e.attrs["text-anchor"] === "middle"
          ? anchorX - width / 2
          : e.attrs["text-anchor"] === "end"
            ? anchorX - width
            : anchorX;
      const baseline = Number(e.attrs.y);
      return { content: e.text, x, y: baseline - 0.8 * size, width, height: size, baseline, anchorX };
    });
}

const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Rect, outer: Rect) =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;
const area = (r: Rect) => r.width * r.height;

/** The smallest rectangle drawn around a point: the box a text sits in. */
function boxAround(rects: Rect[], x: number, y: number): Rect {
  const around = rects
    .filter((r) => x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height)
    .sort((a, b) => area(a) - area(b));
  if (around.length === 0) throw new Error(`nothing drawn around ${x},${y}`);
  return around[0];
}

function text(svg: XmlElement, content: string): DrawnText {
  const found = textsOf(svg).filter((t) => t.content === content);
  if (found.length !== 1) throw new Error(`expected one text "${content}", found ${found.length}`);
  return found[0];
}

const diagramOf = (name: string) => networkDiagramSvg(loadEnvironment({ EKS_ENV: name }));
const parsedDiagram = (name: string) => parseXml(diagramOf(name));

// --- Tests. ---

describe("the XML reader used below", () => {
  it.each([
    ["crossed tags", "<a><b></a></b>"],
    ["an unclosed tag", "<a><b/>"],
    ["an unquoted attribute", "<a x=1/>"],
    ["a raw ampersand", "<a>R&D</a>"],
    ["a raw < in an attribute", '<a x="<"/>'],
    ["two roots", "<a/><b/>"],
    ["a duplicate attribute", '<a x="1" x="2"/>'],
  ])("rejects %s", (_case, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });

  it("reads elements, attributes and decoded text", () => {
    expect(parseXml('<?xml version="1.0"?>\n<a k="&lt;v&gt;"><b>x &amp; y</b><c/></a>')).toEqual({
      name: "a",
      attrs: { k: "<v>" },
      text: "",
      children: [
        { name: "b", attrs: {}, children: [], text: "x & y" },
        { name: "c", attrs: {}, children: [], text: "" },
      ],
    });
  });
});

describe("committed diagrams (docs/<env>.svg)", () => {
  it.each(environmentNames())("docs/%s.svg is what `npm run diagram` draws today", (name) => {
    const file = join(DOCS_DIR, `${name}.svg`);
    expect(existsSync(file)).toBe(true);
    // Not toEqual on the whole text: a failure should say what to do, not print two SVGs.
    const fresh = readFileSync(file, "utf8") === diagramOf(name);
    if (!fresh) throw new Error(`docs/${name}.svg is out of date: run npm run diagram and commit the result`);
  });
});

describe.each(environmentNames())("diagram of %s", (name) => {
  const svg = diagramOf(name);
  const root = parseXml(svg);

  it("is a well-formed SVG document with a size and a title", () => {
    expect(root.name).toBe("svg");
    expect(root.attrs.xmlns).toBe("http://www.w3.org/2000/svg");
    expect(root.attrs.viewBox).toBe(`0 0 ${root.attrs.width} ${root.attrs.height}`);
    expect(root.children[0]).toMatchObject({ name: "title", text: expect.stringContaining(name) });
  });

  it("is the same every time it is drawn", () => {
    expect(diagramOf(name)).toBe(svg);
  });

  it("has no two texts on top of each other, and every text inside the box it sits in", () => {
    const texts = textsOf(root);
    const rects = rectsOf(root);
    const clashes = texts.flatMap((a, i) =>
      texts
        .slice(i + 1)
        .filter((b) => overlap(a, b))
        .map((b) => `"${a.content}" / "${b.content}"`),
    );
    expect(clashes).toEqual([]);
    const outside = texts
      .filter((t) => !inside(t, boxAround(rects, t.x + t.width / 2, t.baseline - 1)))
      .map((t) => t.content);
    expect(outside).toEqual([]);
  });
});

describe("what the diagrams show", () => {
  it("telco: Multus nodes are replaced all at once, and the diagram says so", () => {
    const texts = textsOf(parsedDiagram("telco")).map((t) => t.content);
    expect(texts.filter((t) => t === "replaced all at once, destroy before create").length).toBeGreaterThan(0);
  });

  it("demo: the six subnet CIDRs, their capacity, ng-2-workers with max pods 110, one NAT gateway in us-east-1a", () => {
    const root = parsedDiagram("demo");
    const texts = textsOf(root).map((t) => t.content);
    for (const cidr of [
      "172.16.1.0/24",
      "172.16.10.0/24",
      "172.16.100.0/24",
      "172.16.2.0/24",
      "172.16.11.0/24",
      "172.16.101.0/24",
    ]) {
      expect(texts.filter((t) => t === cidr)).toHaveLength(1);
    }
    expect(texts.filter((t) => t === "251 usable addresses")).toHaveLength(6);
    expect(texts.filter((t) => t === "14 free /28 blocks for pod prefixes")).toHaveLength(2);
    expect(texts.filter((t) => t === "used: 8 of 14 /28 blocks")).toHaveLength(2);
    expect(texts.filter((t) => t === "ng-2-workers")).toHaveLength(2);
    expect(texts.filter((t) => t === "m5.xlarge · max pods 110")).toHaveLength(2);
    expect(texts.filter((t) => t === "pods of ng-2-workers")).toHaveLength(2);
    // The rollout's figures and the prefix reservations, as the IP plan counts them.
    expect(texts.filter((t) => t.startsWith("in a rollout: 10 of 14 /28 blocks (+2 interface addresses"))).toHaveLength(
      2,
    );
    expect(texts.filter((t) => t === "+2 beside them in a rollout")).toHaveLength(2);
    const joined = texts.join(" ");
    for (const pod of ["172.16.10", "172.16.11"]) {
      expect(joined).toContain(
        `10 blocks reserved for pod prefixes, ${pod}.80-${pod}.239 (10 reservations, each a /28)`,
      );
    }
    expect(texts.filter((t) => t.endsWith("91 addresses outside them"))).toHaveLength(2);
    const nat = textsOf(root).filter((t) => t.content === "NAT gateway + Elastic IP");
    expect(nat).toHaveLength(1);
    expect(nat[0].x).toBeLessThan(text(root, "AZ us-east-1b").x);
    expect(texts).toContain("Internet gateway");
  });

  it("demo: node groups sit in the node subnets, above the pod subnets", () => {
    const root = parsedDiagram("demo");
    const groups = textsOf(root).filter((t) => t.content === "ng-2-workers");
    const nodeSubnets = ["172.16.1.0/24", "172.16.2.0/24"].map((c) => text(root, c));
    const podSubnets = ["172.16.10.0/24", "172.16.11.0/24"].map((c) => text(root, c));
    groups.forEach((g, i) => {
      expect(g.baseline).toBeGreaterThan(nodeSubnets[i].baseline);
      expect(g.baseline).toBeLessThan(podSubnets[i].baseline);
    });
  });

  it("demo: the service range is drawn outside (below) the VPC, as virtual", () => {
    const root = parsedDiagram("demo");
    const rects = rectsOf(root);
    const vpcLabel = textsOf(root).find((t) => t.content.startsWith("VPC 172.16.0.0/16"));
    if (!vpcLabel) throw new Error("no VPC label");
    const vpc = boxAround(rects, vpcLabel.x + 1, vpcLabel.baseline - 1);
    const service = text(root, "172.17.0.0/24");
    expect(service.y).toBeGreaterThan(vpc.y + vpc.height);
    expect(textsOf(root).map((t) => t.content)).toContain("Kubernetes Services, virtual");
  });

  it("demo: the title names the environment, cluster, region and CNI mode", () => {
    const texts = textsOf(parsedDiagram("demo")).map((t) => t.content);
    expect(texts).toContain("demo: EKS cluster cluster-demo (Kubernetes 1.35) in us-east-1");
    expect(texts.some((t) => t.startsWith("CNI: custom networking, prefix delegation"))).toBe(true);
    expect(
      textsOf(parsedDiagram("public-pods")).some((t) => t.content.startsWith("CNI: secondary IPs, external SNAT")),
    ).toBe(true);
  });

  it("production: three AZ columns left to right, a NAT gateway in each, control-plane subnets", () => {
    const root = parsedDiagram("production");
    const columns = textsOf(root).filter((t) => t.content.startsWith("AZ "));
    expect(columns.map((c) => c.content)).toEqual(["AZ eu-west-1a", "AZ eu-west-1b", "AZ eu-west-1c"]);
    expect(columns[0].x).toBeLessThan(columns[1].x);
    expect(columns[1].x).toBeLessThan(columns[2].x);
    const nat = textsOf(root).filter((t) => t.content === "NAT gateway + Elastic IP");
    expect(nat).toHaveLength(3);
    nat.forEach((n, i) => {
      expect(n.x).toBeGreaterThanOrEqual(columns[i].x);
      if (i + 1 < columns.length) expect(n.x).toBeLessThan(columns[i + 1].x);
    });
    const texts = textsOf(root).map((t) => t.content);
    expect(texts.filter((t) => t === "CONTROL-PLANE SUBNET")).toHaveLength(3);
    expect(texts).toEqual(expect.arrayContaining(["10.20.7.0/28", "10.20.7.16/28", "10.20.7.32/28", "10.100.0.0/16"]));
    expect(texts.some((t) => t.startsWith("VPC 10.20.0.0/20 + 100.64.0.0/16 (secondary)"))).toBe(true);
  });

  it("escapes text taken from the environment", () => {
    const svg = networkDiagramSvg(load(edited("demo", (doc) => (doc.description = `R&D <lab> "x"`))));
    expect(svg).toContain("R&amp;D &lt;lab&gt; &quot;x&quot;");
    expect(textsOf(parseXml(svg)).map((t) => t.content)).toContain(`R&D <lab> "x"`);
  });

  it("six AZs: one column each, the page widening instead of the columns shrinking", () => {
    const zones = Object.fromEntries(
      ["a", "b", "c", "d", "e", "f"].map((letter, i) => [
        `us-east-1${letter}`,
        { node: `10.0.${i}.0/24`, pod: `10.0.${100 + 2 * i}.0/23`, public: `10.0.${200 + i}.0/26` },
      ]),
    );
    const loaded = load(
      edited("demo", (doc) => {
        doc.network = { vpcCidr: "10.0.0.0/16", natGateways: "perAz", zones };
        doc.nodeGroups[0].maxSize = 6;
      }),
    );
    const root = parseXml(networkDiagramSvg(loaded));
    expect(textsOf(root).filter((t) => t.content.startsWith("AZ "))).toHaveLength(6);
    expect(textsOf(root).filter((t) => t.content === "NAT gateway + Elastic IP")).toHaveLength(6);
    expect(Number(root.attrs.width)).toBeGreaterThan(6 * 270);
    const texts = textsOf(root);
    const clashes = texts.flatMap((a, i) =>
      texts
        .slice(i + 1)
        .filter((b) => overlap(a, b))
        .map((b) => `"${a.content}" / "${b.content}"`),
    );
    expect(clashes).toEqual([]);
  });
});

describe("scripts/diagram.ts", () => {
  /** A copy of environments/ (two of them) and an empty docs/ in a temporary directory. */
  function workspace() {
    const dir = mkdtempSync(join(tmpdir(), "eks-diagram-"));
    const environments = join(dir, "environments");
    const docs = join(dir, "docs");
    mkdirSync(environments);
    for (const name of ["demo", "production"])
      copyFileSync(join(ENVIRONMENTS_DIR, `${name}.yaml`), join(environments, `${name}.yaml`));
    return { dir, environments, docs, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
  }

  function diagram(args: string[], dirs: { environments: string; docs: string }, vars: NodeJS.ProcessEnv = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const stream = (sink: string[]) => ({ write: (t: string) => sink.push(t) }) as unknown as NodeJS.WritableStream;
    const code = run(args, stream(out), stream(err), dirs, vars);
    return { code, stdout: out.join(""), stderr: err.join("") };
  }

  it("--shipped writes docs/<env>.svg for every environment; --check then passes", () => {
    const ws = workspace();
    try {
      expect(diagram(["--shipped"], ws).code).toBe(0);
      expect(readFileSync(join(ws.docs, "demo.svg"), "utf8")).toBe(diagramOf("demo"));
      expect(readFileSync(join(ws.docs, "production.svg"), "utf8")).toBe(diagramOf("production"));
      expect(diagram(["--shipped", "--check"], ws)).toEqual({ code: 0, stdout: "", stderr: "" });
    } finally {
      ws.cleanup();
    }
  });

  it("--check writes nothing and exits 1 naming missing and stale diagrams", () => {
    const ws = workspace();
    try {
      expect(diagram(["--shipped"], ws).code).toBe(0);
      writeFileSync(
        join(ws.environments, "demo.yaml"),
        edited("demo", (doc) => (doc.network.zones["us-east-1a"].pod = "172.16.12.0/24")),
      );
      writeFileSync(join(ws.environments, "extra.yaml"), environmentText("public-pods"));
      const before = readFileSync(join(ws.docs, "demo.svg"), "utf8");
      const result = diagram(["--shipped", "--check"], ws);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/out of date.*demo\.svg.*extra\.svg/);
      expect(result.stderr).not.toContain("production.svg");
      expect(readFileSync(join(ws.docs, "demo.svg"), "utf8")).toBe(before);
      expect(existsSync(join(ws.docs, "extra.svg"))).toBe(false);
    } finally {
      ws.cleanup();
    }
  });

  it("exits 1 for an invalid environment and 2 for a bad flag", () => {
    const ws = workspace();
    try {
      writeFileSync(
        join(ws.environments, "broken.yaml"),
        edited("demo", (doc) => (doc.cluster.serviceCidr = "172.16.5.0/24")),
      );
      const invalid = diagram(["--shipped"], ws);
      expect(invalid.code).toBe(1);
      expect(invalid.stderr).toMatch(/broken\.yaml.*not a valid environment[\s\S]*cluster\.serviceCidr/);
      expect(diagram(["--bogus"], ws)).toMatchObject({ code: 2, stderr: expect.stringContaining("usage:") });
    } finally {
      ws.cleanup();
    }
  });

  it("takes the environment choice like every command: EKS_ENV_FILE draws that file beside it, --output elsewhere", () => {
    const ws = workspace();
    try {
      const file = join(ws.dir, "staging.yaml");
      writeFileSync(file, environmentText("public-pods"));
      expect(diagram([], ws, { EKS_ENV_FILE: file })).toMatchObject({
        code: 0,
        stdout: expect.stringContaining("staging.svg written"),
      });
      const svg = readFileSync(join(ws.dir, "staging.svg"), "utf8");
      expect(svg).toContain("<title>staging: network plan");
      expect(existsSync(join(ws.docs, "staging.svg"))).toBe(false);
      expect(diagram(["--output", "-"], ws, { EKS_ENV_FILE: file }).stdout).toBe(svg);
      const other = join(ws.dir, "out", "plan.svg");
      expect(diagram(["--output", other], ws, { EKS_ENV_FILE: file }).code).toBe(0);
      expect(readFileSync(other, "utf8")).toBe(svg);
      // Nothing else was drawn: the shipped diagrams are --shipped's.
      expect(existsSync(ws.docs)).toBe(false);
    } finally {
      ws.cleanup();
    }
  });

  it("--all draws the whole address space of the folder and the networks file, to --output - on stdout", () => {
    // One --all: the address-space picture of issue 17 (docs/all.svg for the shipped folder; its own
    // tests are in address-space.test.ts), which took the place of a stack of the environments' diagrams.
    const ws = workspace();
    try {
      const args = ["--all", "--dir", ws.environments, "--networks", NETWORKS_FILE];
      const result = diagram([...args, "--output", "-"], ws);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^<\?xml/);
      expect(result.stdout).toContain("VPC of demo (us-east-1)");
      expect(result.stdout).toContain("VPC of production (eu-west-1)");
      expect(result.stdout).toContain("external network data-centre (on-premises, routed)");
      expect(diagram([...args, "--output", "-", "--check"], ws)).toMatchObject({ code: 2 });
      expect(diagram(["--all", "--shipped"], ws)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining("--shipped and --all draw different things; give one"),
      });
      expect(existsSync(ws.docs)).toBe(false);
    } finally {
      ws.cleanup();
    }
  });
});
