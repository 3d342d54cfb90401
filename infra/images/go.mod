// Programs of the images the local node runs (the pod sandbox's pause and a probe that
// serves and tries TCP connections), built as static binaries and packaged by
// infra/src/cluster/images.ts. Standard library only.
module zhengyun.local/images

go 1.24.0
