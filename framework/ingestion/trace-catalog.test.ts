import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import {
  labelCatalog,
  loadCatalogDescriptor,
  repoRoot,
  resolveTracesRoot,
  traceCatalog,
} from "./trace-catalog.js";

/** Files of the traces folder that document the data rather than hold it. */
const documentationFiles = ["README.md", "healthcare/empatica_e4_flirt/info.txt"];

async function listFiles(root: string, folder = root): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) files.push(...(await listFiles(root, path)));
    else files.push(relative(root, path).split("\\").join("/"));
  }
  return files;
}

describe("resolveTracesRoot", () => {
  it("uses TRACES_DIR when set", async () => {
    const directory = await mkdtemp(join(tmpdir(), "traces-"));
    try {
      expect(resolveTracesRoot({ TRACES_DIR: directory })).toBe(directory);
    } finally {
      await rm(directory, { recursive: true });
    }
  });

  it("rejects a TRACES_DIR that is not a folder", async () => {
    const directory = await mkdtemp(join(tmpdir(), "traces-"));
    const file = join(directory, "file.txt");
    await writeFile(file, "");
    try {
      expect(() => resolveTracesRoot({ TRACES_DIR: file })).toThrow(
        `invalid TRACES_DIR "${file}": not a folder`,
      );
    } finally {
      await rm(directory, { recursive: true });
    }
  });

  it("falls back to shared/traces beside the repository", () => {
    const beside = resolve(repoRoot, "..", "shared", "traces");
    expect(resolveTracesRoot({})).toBe(existsSync(beside) ? beside : undefined);
  });
});

describe("traceCatalog", () => {
  it.each(traceCatalog.map((entry) => [entry.file, entry]))(
    "parses the descriptor of %s",
    async (_, entry) => {
      await expect(loadCatalogDescriptor(entry)).resolves.toMatchObject({
        source: join(repoRoot, entry.descriptor),
      });
    },
  );

  const tracesRoot = resolveTracesRoot();
  it.skipIf(tracesRoot === undefined)("lists every data file of the traces folder", async () => {
    const listed = [...traceCatalog, ...labelCatalog].map((entry) => entry.file);
    const present = (await listFiles(tracesRoot!)).filter(
      (file) => !documentationFiles.includes(file),
    );
    expect(present.sort()).toEqual([...new Set(listed)].sort());
  });
});
