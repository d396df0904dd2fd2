package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

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
// Its Content-Security-Policy allows nothing but its own style sheet.
func handleDocs() echo.HandlerFunc {
	page := renderDocs()
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", docsCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		return c.HTMLBlob(http.StatusOK, page)
	}
}

type docOp struct {
	Method, Path, Summary string
	Description           template.HTML
	Params                []string
	Responses             []string
	Public                bool
}

// markdown renders the contract's CommonMark descriptions. Raw HTML in
// them is left out and dangerous links are dropped (goldmark's default
// without WithUnsafe), so the page carries only what markdown can say.
var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))

func renderMarkdown(src string) template.HTML {
	var buf bytes.Buffer
	if err := markdown.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(buf.String()) //nolint:gosec // goldmark escapes raw HTML unless WithUnsafe
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
			d := docOp{Method: method, Path: path, Summary: op.Summary, Description: renderMarkdown(op.Description),
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
		"Description": renderMarkdown(doc.Info.Description), "Ops": ops})
	return buf.Bytes()
}

// docsCSS is the page's only style; the CSP admits it by its hash.
const docsCSS = `body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:auto;padding:1rem}
code,.m{font-family:ui-monospace,monospace}.op{border-top:1px solid #ddd;padding:.5rem 0}
.m{display:inline-block;min-width:4.5rem;font-weight:bold}.pub{color:#666;font-size:.9em}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .4rem}
pre{white-space:pre-wrap}details{margin:.25rem 0}`

var docsCSP = func() string {
	sum := sha256.Sum256([]byte(docsCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

var docsTemplate = template.Must(template.New("docs").Funcs(template.FuncMap{"join": strings.Join}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} {{.Version}}</title>
<style>` + docsCSS + `</style></head>
<body><h1>{{.Title}} <small>{{.Version}}</small></h1>
<p>The full contract: <a href="/openapi.yaml">openapi.yaml</a>.</p>
{{.Description}}
<h2>Operations</h2>
{{range .Ops}}<div class="op"><span class="m">{{.Method}}</span> <code>{{.Path}}</code>{{if .Public}} <span class="pub">(no sign-in)</span>{{end}}
<div>{{.Summary}}</div>{{if .Description}}<details><summary class="pub">details</summary>{{.Description}}</details>{{end}}{{if .Params}}<div class="pub">parameters: {{join .Params ", "}}</div>{{end}}
<div class="pub">responses: {{join .Responses ", "}}</div></div>
{{end}}</body></html>`))
