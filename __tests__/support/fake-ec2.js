#!/usr/bin/env node
/*
 * A stand-in for `aws ec2 ...` in the eip-associator's tests: it answers from, and changes, an EC2
 * state file in the real shapes of DescribeAddresses and DescribeNetworkInterfaces
 * (EC2_STATE: { Addresses: [...], NetworkInterfaces: [...] }), applying the filters the way EC2 does,
 * and prints what `--output text` prints. It knows the --query expressions the script uses and no
 * other (an unknown one fails loudly); the test checks its answers against the jmespath library the
 * AWS CLI evaluates queries with, where python3 has it. Every call is recorded in EC2_CALLS.
 *
 * EC2_FAIL: a file holding "<operation> <count>": fail that many calls of the operation, as a
 * throttled API would.
 */
const { appendFileSync, existsSync, readFileSync, renameSync, writeFileSync } = require("node:fs");

const args = process.argv.slice(2);
appendFileSync(process.env.EC2_CALLS, JSON.stringify(args) + "\n");
const [service, operation, ...rest] = args;
if (service !== "ec2") fail(`stub: not an ec2 call: ${args.join(" ")}`);

function fail(message, code = 252) {
  process.stderr.write(message + "\n");
  process.exit(code);
}

const options = {};
for (let i = 0; i < rest.length; i++) {
  const arg = rest[i];
  if (!arg.startsWith("--")) fail(`stub: unexpected argument ${arg}`);
  const values = [];
  while (i + 1 < rest.length && !rest[i + 1].startsWith("--")) values.push(rest[++i]);
  options[arg.slice(2)] = values;
}
const one = (name) => (options[name] ?? [])[0];
if (one("output") !== "text") fail("stub: the script always asks for --output text");

const failFile = process.env.EC2_FAIL;
if (failFile && existsSync(failFile)) {
  const [op, count] = readFileSync(failFile, "utf8").trim().split(" ");
  if (op === operation && Number(count) > 0) {
    writeFileSync(failFile, `${op} ${Number(count) - 1}`);
    fail("An error occurred (RequestLimitExceeded): Request limit exceeded.", 254);
  }
}

const stateFile = process.env.EC2_STATE;
const state = JSON.parse(readFileSync(stateFile, "utf8"));
const filters = (options.filters ?? []).map((f) => {
  const m = /^Name=([^,]+),Values=(.*)$/.exec(f);
  if (!m) fail(`stub: bad filter ${f}`);
  return { name: m[1], values: m[2].split(",") };
});
const tagsOf = (o) => o.Tags ?? o.TagSet ?? [];
function matches(o, filter, fields) {
  if (filter.name.startsWith("tag:")) {
    const key = filter.name.slice(4);
    return tagsOf(o).some((t) => t.Key === key && filter.values.includes(t.Value));
  }
  const field = fields[filter.name];
  if (!field) fail(`stub: unknown filter ${filter.name} for ${operation}`);
  const have = [field(o)].flat();
  return have.some((v) => filter.values.includes(v));
}

function text(value) {
  if (value === null || value === undefined) return "None\n";
  if (!Array.isArray(value)) return `${value}\n`;
  if (value.length === 0) return "";
  if (value.every((v) => !Array.isArray(v))) return value.map((v) => (v == null ? "None" : v)).join("\t") + "\n";
  return value.map(text).join("");
}

const query = one("query");
let result;
let changed = false;
switch (operation) {
  case "describe-addresses": {
    const ids = options["allocation-ids"];
    const found = state.Addresses.filter(
      (a) =>
        (!ids || ids.includes(a.AllocationId)) &&
        filters.every((f) => matches(a, f, { "allocation-id": (x) => x.AllocationId })),
    );
    if (query === "Addresses[].[AllocationId,PublicIp]") result = found.map((a) => [a.AllocationId, a.PublicIp]);
    else if (query === "Addresses[0].[NetworkInterfaceId,PrivateIpAddress]")
      result = found[0] ? [found[0].NetworkInterfaceId ?? null, found[0].PrivateIpAddress ?? null] : null;
    else if (query === "Addresses[0].[AssociationId,NetworkInterfaceId,PrivateIpAddress]")
      result = found[0]
        ? [found[0].AssociationId ?? null, found[0].NetworkInterfaceId ?? null, found[0].PrivateIpAddress ?? null]
        : null;
    else fail(`stub: unknown query ${query}`);
    break;
  }
  case "describe-network-interfaces": {
    const found = state.NetworkInterfaces.filter((n) =>
      filters.every((f) =>
        matches(n, f, {
          "vpc-id": (x) => x.VpcId,
          "attachment.instance-id": (x) => x.Attachment?.InstanceId,
          // Every private address of the interface, primary included; delegated prefixes are not addresses.
          "addresses.private-ip-address": (x) => (x.PrivateIpAddresses ?? []).map((p) => p.PrivateIpAddress),
        }),
      ),
    );
    const byAddressOrPrefix =
      /^NetworkInterfaces\[\?PrivateIpAddresses\[\?PrivateIpAddress=='([\d.]+)'\] \|\| Ipv4Prefixes\[\?Ipv4Prefix=='([\d./]+)'\]\]\.NetworkInterfaceId$/.exec(
        query,
      );
    if (query === "NetworkInterfaces[0].Attachment.InstanceId") result = found[0]?.Attachment?.InstanceId ?? null;
    else if (byAddressOrPrefix) {
      const [, address, prefix] = byAddressOrPrefix;
      result = found
        .filter(
          (n) =>
            (n.PrivateIpAddresses ?? []).some((p) => p.PrivateIpAddress === address) ||
            (n.Ipv4Prefixes ?? []).some((p) => p.Ipv4Prefix === prefix),
        )
        .map((n) => n.NetworkInterfaceId);
    } else fail(`stub: unknown query ${query}`);
    break;
  }
  case "associate-address": {
    const address = state.Addresses.find((a) => a.AllocationId === one("allocation-id"));
    const eni = state.NetworkInterfaces.find((n) => n.NetworkInterfaceId === one("network-interface-id"));
    if (!address || !eni) fail("An error occurred (InvalidAllocationID.NotFound)", 254);
    if (address.AssociationId && !("allow-reassociation" in options))
      fail("An error occurred (Resource.AlreadyAssociated)", 254);
    const holds =
      (eni.PrivateIpAddresses ?? []).some((p) => p.PrivateIpAddress === one("private-ip-address")) ||
      (eni.Ipv4Prefixes ?? []).some((p) => {
        const [base] = p.Ipv4Prefix.split("/");
        const last = Number(one("private-ip-address").split(".")[3]);
        const first = Number(base.split(".")[3]);
        return (
          base.split(".").slice(0, 3).join(".") === one("private-ip-address").split(".").slice(0, 3).join(".") &&
          last >= first &&
          last < first + 16
        );
      });
    if (!holds) fail("An error occurred (InvalidParameterValue): the address is not on the interface", 254);
    state.associations = (state.associations ?? 0) + 1;
    changed = true;
    Object.assign(address, {
      AssociationId: `eipassoc-${state.associations}`,
      NetworkInterfaceId: eni.NetworkInterfaceId,
      PrivateIpAddress: one("private-ip-address"),
    });
    if (query !== "AssociationId") fail(`stub: unknown query ${query}`);
    result = address.AssociationId;
    break;
  }
  case "disassociate-address": {
    const address = state.Addresses.find((a) => a.AssociationId === one("association-id"));
    if (!address) fail("An error occurred (InvalidAssociationID.NotFound)", 254);
    changed = true;
    delete address.AssociationId;
    delete address.NetworkInterfaceId;
    delete address.PrivateIpAddress;
    result = undefined;
    break;
  }
  default:
    fail(`stub: unknown operation ${operation}`);
}
// Only a change is written, and atomically: the test may change the state between two calls.
if (changed) {
  writeFileSync(`${stateFile}.tmp`, JSON.stringify(state, null, 2));
  renameSync(`${stateFile}.tmp`, stateFile);
}
if (result !== undefined) process.stdout.write(text(result));
