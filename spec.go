package sankofa

import _ "embed"

// OpenAPI is the REST contract, served at /openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
