#!/usr/bin/env node
// Runs the TypeScript sources with tsx, as the rest of the project does.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
