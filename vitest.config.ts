import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "results/**"],
    testTimeout: 120_000,
    pool: "forks",
  },
});
