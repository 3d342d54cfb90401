// Command pulumi-resource-kubernetes serves the Kubernetes resource provider to the
// Pulumi engine over gRPC.
//
// The upstream main package embeds generated files that are not part of the published
// module, so this one embeds the module's own committed schema.json and
// terraform-mapping.json instead. ../build.mjs copies them here (with the schema's
// version set) before building; they are not committed.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema.embed
var pulumiSchema []byte

//go:embed terraform-mapping.embed
var terraformMapping []byte

func main() {
	// version.Version is set with -ldflags -X by the build.
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
