import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { ociArchive, PROBE_IMAGE, tarArchive } from "./images.js";

const dir = mkdtempSync(join(tmpdir(), "zhengyun-images-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

/** Extracts a tar archive with the machine's tar and returns the directory. */
function untar(archive: Buffer, name: string): string {
  const out = join(dir, name);
  execFileSync("mkdir", ["-p", out]);
  writeFileSync(`${out}.tar`, archive);
  execFileSync("tar", ["-xf", `${out}.tar`, "-C", out]);
  return out;
}

describe("image packaging", () => {
  it("writes tar archives that tar reads back, with modes and contents intact", () => {
    const data = Buffer.from("#!/bin/sh\necho hi\n");
    const out = untar(tarArchive([{ name: "bin/" }, { name: "bin/run", data, mode: 0o755 }]), "plain");
    expect(readFileSync(join(out, "bin", "run"))).toEqual(data);
    expect(execFileSync("stat", ["-c", "%a", join(out, "bin", "run")], { encoding: "utf8" }).trim()).toBe("755");
  });

  it("writes symbolic links and names longer than 100 bytes", () => {
    const long = `usr/share/${"a".repeat(60)}/${"b".repeat(60)}/file.txt`;
    const out = untar(
      tarArchive([
        { name: "usr/" },
        { name: "usr/lib/" },
        { name: "usr/lib/real.so.1", data: Buffer.from("lib") },
        { name: "lib", link: "usr/lib" },
        { name: long, data: Buffer.from("long") },
      ]),
      "links",
    );
    expect(readFileSync(join(out, "lib", "real.so.1"), "utf8")).toBe("lib");
    expect(execFileSync("readlink", [join(out, "lib")], { encoding: "utf8" }).trim()).toBe("usr/lib");
    expect(readFileSync(join(out, long), "utf8")).toBe("long");
  });

  it("writes an OCI layout whose index names the image and whose blobs match their digests", () => {
    const binary = Buffer.from("not really a program");
    const { archive, digest } = ociArchive(PROBE_IMAGE, binary);
    const out = untar(archive, "oci");
    expect(JSON.parse(readFileSync(join(out, "oci-layout"), "utf8"))).toEqual({ imageLayoutVersion: "1.0.0" });
    const index = JSON.parse(readFileSync(join(out, "index.json"), "utf8"));
    expect(index.manifests).toHaveLength(1);
    expect(index.manifests[0]).toMatchObject({ digest, annotations: { "io.containerd.image.name": PROBE_IMAGE.ref } });
    const blob = (d: string) => readFileSync(join(out, "blobs", "sha256", d.replace("sha256:", "")));
    const manifest = JSON.parse(blob(digest).toString());
    expect(`sha256:${sha256(blob(digest))}`).toBe(digest);
    const layer = blob(manifest.layers[0].digest);
    expect(`sha256:${sha256(layer)}`).toBe(manifest.layers[0].digest);
    const config = JSON.parse(blob(manifest.config.digest).toString());
    expect(config.config).toMatchObject({ Entrypoint: ["/probe"], Cmd: ["serve", "8080"] });
    expect(config.rootfs.diff_ids).toEqual([`sha256:${sha256(gunzipSync(layer))}`]);
    const rootfs = untar(gunzipSync(layer), "rootfs");
    expect(readFileSync(join(rootfs, "probe"))).toEqual(binary);
  });

  it("is reproducible: the same program gives the same digest", () => {
    const binary = Buffer.from("same");
    expect(ociArchive(PROBE_IMAGE, binary).digest).toBe(ociArchive(PROBE_IMAGE, binary).digest);
  });
});
