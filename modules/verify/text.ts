/** The verify report as text: a heading, a table per check (every row, wrong ones with their fix), a summary line. */
import { RECORDED_FILES, STATE_KEYS } from "./recorded-state";
import type { CheckReport, VerifyReport, VerifyRow, VerifySource } from "./report";

export function formatVerifyReport(report: VerifyReport): string {
  const { environment, cluster } = report;
  const lines = [
    `verify ${environment.name} (${environment.file}): cluster ${cluster.name} in ${cluster.region}, ${sourceText(report.source)}`,
  ];
  for (const check of report.checks) lines.push("", ...checkLines(check));
  const wrong = report.checks.filter((c) => c.status === "wrong").map((c) => c.id);
  const { ok, skipped } = report.summary;
  const tail = `${ok} ok, ${skipped} skipped`;
  lines.push(
    "",
    wrong.length > 0
      ? `WRONG: ${wrong.length} of ${report.checks.length} checks found the cluster off its plan (${wrong.join(", ")}); ${tail}`
      : `OK: the cluster holds to its plan (${tail})`,
  );
  return lines.join("\n") + "\n";
}

function sourceText(source: VerifySource): string {
  switch (source.kind) {
    case "recorded":
      return `state recorded in ${source.directory}`;
    case "live":
      return `live state from ${source.server} (context ${source.context})${source.vpcId ? ` and ${source.vpcId}` : ""}${source.recordedTo ? `, recorded to ${source.recordedTo}` : ""}`;
  }
}

function checkLines(check: CheckReport): string[] {
  const head = `${check.id} (${check.title})`;
  switch (check.status) {
    case "skipped": {
      const commands = check.missing.map((file) => {
        const key = STATE_KEYS.find((k) => RECORDED_FILES[k].file === file);
        return key ? `${file} (${RECORDED_FILES[key].command})` : file;
      });
      return [`${head}: SKIPPED, not recorded: ${commands.join("; ")}`];
    }
    case "ok":
    case "wrong": {
      const lines = [`${head}: ${check.status === "ok" ? "ok" : "WRONG"}`];
      if (check.note) lines.push(`  ${check.note}`);
      if (check.rows.length > 0) lines.push(...table(check.rows));
      return lines;
    }
  }
}

function table(rows: readonly VerifyRow[]): string[] {
  const header = ["", "SUBJECT", "WHAT", "FOUND", "PLAN"];
  const cells = rows.map((r) => [r.status === "ok" ? "ok" : "WRONG", r.subject, r.property, r.found, r.expected]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    "  " +
    c
      .map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  const out = [line(header)];
  rows.forEach((r, i) => {
    out.push(line(cells[i]));
    if (r.fix) out.push(`  ${" ".repeat(widths[0])}  fix: ${r.fix}`);
  });
  return out;
}
