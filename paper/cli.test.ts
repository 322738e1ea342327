import { execFile } from "node:child_process";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { writeFixtureRun } from "./fixture-run.js";

const cliPath = fileURLToPath(new URL("./cli.ts", import.meta.url));

interface CliResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `paper/cli.ts` in a child Node process with tsx and returns its exit code and output. */
async function runCli(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", cliPath, ...args],
      { timeout: 60_000 },
    );
    return { exitCode: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failure.code !== "number") {
      throw error;
    }
    return { exitCode: failure.code, stdout: failure.stdout ?? "", stderr: failure.stderr ?? "" };
  }
}

let runDir: string;

beforeAll(async () => {
  runDir = await mkdtemp(join(tmpdir(), "paper-cli-"));
  await writeFixtureRun(runDir);
});

afterAll(async () => {
  await rm(runDir, { recursive: true, force: true });
});

describe("npm run paper", () => {
  it("regenerates the outputs of a run directory", async () => {
    const result = await runCli(runDir);

    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Policy\s+Provider/);
    await expect(access(join(runDir, "table.tex"))).resolves.toBeUndefined();
    await expect(access(join(runDir, "latency-cdf.png"))).resolves.toBeUndefined();
  }, 60_000);

  it("reports a missing directory on one line", async () => {
    const missingDir = join(runDir, "absent");
    const result = await runCli(missingDir);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(`results directory "${missingDir}" not found\n`);
  }, 60_000);

  it("reports a missing file on one line", async () => {
    const emptyDir = await mkdtemp(join(tmpdir(), "paper-cli-empty-"));
    const result = await runCli(emptyDir);
    await rm(emptyDir, { recursive: true, force: true });

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(`file "${join(emptyDir, "config.json")}" not found\n`);
  }, 60_000);
});
