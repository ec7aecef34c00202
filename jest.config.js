/** Transpile-only (swc): type checking is `npm run typecheck`, kept out of the test loop for speed. */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["@swc/jest", { jsc: { target: "es2022" }, module: { type: "commonjs" } }] },
  moduleFileExtensions: ["ts", "js", "json"],
  // Every core: jest's default leaves one idle, which on a 2-core CI machine halves the speed.
  maxWorkers: "100%",
  // Each shipped environment is synthesized once per run; the tests read that output.
  globalSetup: "<rootDir>/__tests__/support/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/support/global-teardown.ts",
};
