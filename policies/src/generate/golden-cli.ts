// npm run golden -w policies: writes the golden YAML of the compiled catalog under policies/golden/.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { policiesDir } from "./catalog.js";
import { goldenFiles } from "./golden.js";

for (const [file, text] of Object.entries(goldenFiles())) {
  const path = join(policiesDir, file);
  let before: string | undefined;
  try {
    before = readFileSync(path, "utf8");
  } catch {
    before = undefined;
  }
  if (before === text) continue;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${file}`);
}
