// Tests are compiled by `tsc` with the sources (one type-check, no per-file transform)
// and run as native ESM from dist/.
export default {
  testEnvironment: "node",
  roots: ["<rootDir>/dist/test"],
  testMatch: ["**/*.test.js"],
  transform: {},
  testTimeout: 30000,
};
