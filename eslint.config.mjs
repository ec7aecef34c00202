// The lint: typescript-eslint's recommended rules, exhaustive switches over unions, and files small
// enough to read (300 lines in modules/, stacks/ and scripts/). Layer rules are dependency-cruiser's
// (.dependency-cruiser.cjs); `npm run lint` runs prettier, eslint and dependency-cruiser.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "cdktf.out*/",
      "hcl/",
      "terraform-state/",
      "coverage/",
      "**/*.js",
      "**/*.cjs",
      "**/*.mjs",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/switch-exhaustiveness-check": [
        "error",
        { considerDefaultExhaustiveForUnions: false, requireDefaultForNonUnion: false },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    files: ["modules/**/*.ts", "stacks/**/*.ts", "scripts/**/*.ts", "main.ts"],
    rules: { "max-lines": ["error", { max: 300, skipBlankLines: false, skipComments: false }] },
  },
  {
    // Tests read loosely typed JSON (synthesized Terraform, recorded API answers).
    files: ["__tests__/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off", "@typescript-eslint/no-require-imports": "off" },
  },
);
