// `npm run image:build -w infra`: builds the project's image here without a daemon (podman, vfs
// storage, a Debian base assembled from the configured mirror; see app-image.ts) and prints the
// OCI archive to load into a registry or a node (`ctr images import`, `skopeo copy oci-archive:…`).

import { buildAppImage } from "./app-image.js";

const image = await buildAppImage((m) => console.error(`[image] ${m}`));
console.log(
  JSON.stringify({ ref: image.ref, digest: image.digest, archive: image.archive, baseSeconds: image.baseSeconds, buildSeconds: image.buildSeconds }, null, 2),
);
