// zy-fscrypt: the fscrypt ioctls behind the local node's `encrypted` storage class (main.go).
module zhengyun.local/toolchain/fscrypt

go 1.24.0

require golang.org/x/sys v0.38.0
