/**
 * `acknowledgedWarnings`: marks the warnings an environment accepts on purpose (strict mode lets them
 * pass), refuses ids no check gives (a typo would otherwise acknowledge nothing, silently), and warns
 * about an acknowledgement whose warning no longer fires (it would hide that warning's return).
 */
import { closest } from "../spelling/edit-distance";
import { error, warning, type Problem } from "../environment/problems";
import type { Environment } from "../environment/schema";
import { isWarningId, WARNING_IDS } from "../environment/warnings";

export function applyAcknowledgements(env: Environment, problems: readonly Problem[]): Problem[] {
  const acknowledged = env.acknowledgedWarnings;
  const marked = problems.map((p) =>
    p.severity === "warning" && p.id !== undefined && Object.hasOwn(acknowledged, p.id)
      ? { ...p, acknowledged: acknowledged[p.id] }
      : p,
  );
  const fired = new Set(problems.flatMap((p) => (p.severity === "warning" && p.id ? [p.id] : [])));
  const extra: Problem[] = [];
  for (const id of Object.keys(acknowledged)) {
    const at = ["acknowledgedWarnings", id];
    if (!isWarningId(id)) {
      const guess = closest(id, WARNING_IDS);
      extra.push(
        error(
          at,
          `"${id}" is not the id of any warning, so it acknowledges nothing`,
          guess ? `did you mean "${guess}"?` : `use one of: ${WARNING_IDS.join(", ")}`,
        ),
      );
    } else if (!fired.has(id)) {
      extra.push(
        warning(
          at,
          `acknowledges ${id}, which this environment no longer gives; the acknowledgement would hide it if it came back`,
          `remove ${id} from acknowledgedWarnings`,
          "unused-acknowledgement",
        ),
      );
    }
  }
  return [...marked, ...extra];
}
