package api

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"sankofa"
)

// handleOpenAPI serves the contract.
func handleOpenAPI() echo.HandlerFunc {
	return func(c echo.Context) error {
		return c.Blob(http.StatusOK, "application/yaml", sankofa.OpenAPI)
	}
}

// handleDocs serves a browsable page rendered from the contract on the
// server, so that it works offline and on slow phones (no script, no CDN).
func handleDocs() echo.HandlerFunc {
	page := renderDocs()
	return func(c echo.Context) error {
		return c.HTMLBlob(http.StatusOK, page)
	}
}

type docOp struct {
	Method, Path, Summary, Description string
	Params                             []string
	Responses                          []string
	Public                             bool
}

func renderDocs() []byte {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(sankofa.OpenAPI)
	if err != nil || doc.Validate(context.Background()) != nil {
		return []byte("<!doctype html><title>Sankofa API</title><p>The contract could not be rendered; see <a href=/openapi.yaml>openapi.yaml</a>.")
	}
	var ops []docOp
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			d := docOp{Method: method, Path: path, Summary: op.Summary, Description: op.Description,
				Public: op.Security != nil && len(*op.Security) == 0}
			for _, p := range append(item.Parameters, op.Parameters...) {
				if p.Value != nil {
					d.Params = append(d.Params, p.Value.In+" "+p.Value.Name)
				}
			}
			for code := range op.Responses.Map() {
				d.Responses = append(d.Responses, code)
			}
			sort.Strings(d.Responses)
			ops = append(ops, d)
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	var buf bytes.Buffer
	_ = docsTemplate.Execute(&buf, map[string]any{"Title": doc.Info.Title, "Version": doc.Info.Version,
		"Description": doc.Info.Description, "Ops": ops})
	return buf.Bytes()
}

var docsTemplate = template.Must(template.New("docs").Funcs(template.FuncMap{"join": strings.Join}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} {{.Version}}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}
code,.m{font-family:ui-monospace,monospace}.op{border-top:1px solid #ddd;padding:.5rem 0}
.m{display:inline-block;min-width:4.5rem;font-weight:bold}.pub{color:#666;font-size:.9em}</style></head>
<body><h1>{{.Title}} <small>{{.Version}}</small></h1>
<p>The full contract: <a href="/openapi.yaml">openapi.yaml</a>.</p>
<pre style="white-space:pre-wrap">{{.Description}}</pre>
{{range .Ops}}<div class="op"><span class="m">{{.Method}}</span> <code>{{.Path}}</code>{{if .Public}} <span class="pub">(no sign-in)</span>{{end}}
<div>{{.Summary}}</div>{{if .Params}}<div class="pub">parameters: {{join .Params ", "}}</div>{{end}}
<div class="pub">responses: {{join .Responses ", "}}</div></div>
{{end}}</body></html>`))
