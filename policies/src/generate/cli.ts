// npm run catalog -w policies: writes the catalog's generated lists and README table.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { policiesDir, readmeFile, sourceFiles } from "./catalog.js";

function write(files: Record<string, string>) {
  for (const [file, text] of Object.entries(files)) {
    const path = join(policiesDir, file);
    const before = (() => {
      try {
        return readFileSync(path, "utf8");
      } catch {
        return undefined;
      }
    })();
    if (before === text) continue;
    writeFileSync(path, text);
    console.log(`wrote ${file}`);
  }
}

// The sources first: the README's table imports the controls they list.
write(sourceFiles());
write(await readmeFile());
