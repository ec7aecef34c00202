/**
 * Style the compiler does not enforce: every props interface of a construct or stack has readonly
 * properties, and each optional one says its default in its doc comment ("Default: ...").
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";

const ROOT = join(__dirname, "..");

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

interface PropIssue {
  where: string;
  problem: string;
}

function propIssues(file: string): PropIssue[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const issues: PropIssue[] = [];
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || !/Props$/.test(node.name.text)) return;
    for (const member of node.members) {
      if (!ts.isPropertySignature(member)) continue;
      const where = `${relative(ROOT, file)}: ${node.name.text}.${member.name.getText(source)}`;
      if (!member.modifiers?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword))
        issues.push({ where, problem: "not readonly" });
      if (member.questionToken) {
        const doc = ts
          .getJSDocCommentsAndTags(member)
          .map((d) => d.getText(source))
          .join("\n");
        if (!/Default/.test(doc)) issues.push({ where, problem: "optional without 'Default: ...' in its doc comment" });
      }
    }
  });
  return issues;
}

it("construct and stack props are readonly, and optional ones document their default", () => {
  const files = [...tsFiles(join(ROOT, "modules/constructs")), ...tsFiles(join(ROOT, "stacks"))];
  expect(files.length).toBeGreaterThan(20);
  expect(files.flatMap(propIssues)).toEqual([]);
});

it("the check finds a mutable prop and an undocumented optional one", () => {
  const file = join(ROOT, "__tests__/fixtures/bad-props.ts.txt");
  expect(propIssues(file)).toEqual([
    { where: "__tests__/fixtures/bad-props.ts.txt: BadProps.mutable", problem: "not readonly" },
    {
      where: "__tests__/fixtures/bad-props.ts.txt: BadProps.optional",
      problem: "optional without 'Default: ...' in its doc comment",
    },
  ]);
});
