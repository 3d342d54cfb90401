import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

/** What `login` keeps: the portal's address and either an API token or a session cookie. */
export interface CliConfig {
  url: string;
  token?: string;
  session?: string;
}

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME || path.join(homedir(), ".config");
  return path.join(base, "zhengyun", "config.json");
}

export function loadConfig(): CliConfig | null {
  try {
    return JSON.parse(readFileSync(configPath(), "utf8")) as CliConfig;
  } catch {
    return null;
  }
}

/** Written readable by the owner only: it holds a credential. */
export function saveConfig(config: CliConfig): void {
  const file = configPath();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function removeConfig(): void {
  rmSync(configPath(), { force: true });
}
