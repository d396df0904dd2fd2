#!/bin/sh
# vendor.sh refreshes the console's front-end libraries from npm at the
# pinned versions below, and writes console/VENDOR.md. It needs only npm
# (for `npm pack`), tar and coreutils: no node_modules, no build step.
#
#   sh console/vendor.sh
#
# To upgrade, change a version here, run it, look at the diff, and run the
# console and journey tests.
set -eu

PREACT=10.29.8 # the 10.x line: hooks are a separate module
HTM=3.1.1
AXE=4.14.1 # for the browser tests only, never embedded

root=$(cd "$(dirname "$0")/.." && pwd)
static=$root/console/static/vendor
axedir=$root/journey/testdata/axe
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# fetch NAME VERSION downloads the package's tarball, checks it against
# the registry's integrity, and unpacks it into $tmp/NAME/package.
fetch() {
	mkdir -p "$tmp/$1"
	(cd "$tmp/$1" && npm pack --silent "$1@$2" >/dev/null)
	tgz=$(ls "$tmp/$1"/*.tgz)
	want=$(npm view "$1@$2" dist.integrity)
	got=sha512-$(openssl dgst -sha512 -binary "$tgz" | base64 -w0)
	if [ "$want" != "$got" ]; then
		echo "vendor.sh: $1@$2: integrity $got, registry says $want" >&2
		exit 1
	fi
	tar -xzf "$tgz" -C "$tmp/$1"
	eval "integrity_$(echo "$1" | tr -c 'a-z\n' _)=\$got"
	eval "shasum_$(echo "$1" | tr -c 'a-z\n' _)=\$(sha1sum \"\$tgz\" | cut -d' ' -f1)"
}

# copy SRC DST copies a module, strips its source-map comment (the maps are
# not vendored, and a browser would ask for them) and fails on any bare
# import specifier left, which a browser cannot resolve without an import
# map.
copy() {
	sed -e 's|//# sourceMappingURL=[^ ]*$||' "$1" >"$2"
	if grep -Eq '(from|import) *"[^./"][^"]*"' "$2"; then
		echo "vendor.sh: $2 still imports a bare specifier:" >&2
		grep -Eo '(from|import) *"[^./"][^"]*"' "$2" >&2
		exit 1
	fi
}

fetch preact "$PREACT"
fetch htm "$HTM"
fetch axe-core "$AXE"

rm -rf "$static/preact" "$static/htm"
mkdir -p "$static/preact" "$static/htm" "$axedir"

p=$tmp/preact/package
copy "$p/dist/preact.module.js" "$static/preact/preact.module.js"
sed -e 's|from"preact"|from"./preact.module.js"|g; s|from "preact"|from "./preact.module.js"|g' \
	"$p/hooks/dist/hooks.module.js" >"$tmp/hooks.module.js"
copy "$tmp/hooks.module.js" "$static/preact/hooks.module.js"
cp "$p/LICENSE" "$static/preact/LICENSE"

h=$tmp/htm/package
copy "$h/dist/htm.module.js" "$static/htm/htm.module.js"
cp "$h/LICENSE" "$static/htm/LICENSE"

a=$tmp/axe-core/package
sed -e 's|//# sourceMappingURL=[^ ]*$||' "$a/axe.min.js" >"$axedir/axe.min.js"
cp "$a/LICENSE" "$axedir/LICENSE"
cp "$a/LICENSE-3RD-PARTY.txt" "$axedir/LICENSE-3RD-PARTY.txt"

gz() { gzip -9c "$1" | wc -c | tr -d ' '; }

cat >"$root/console/VENDOR.md" <<EOF
# Vendored front-end libraries

Written by \`sh console/vendor.sh\`, which fetches each package with
\`npm pack\` at the pinned version, checks the tarball against the
registry's integrity, and copies the files below. There is no
node_modules and no build step: the console is plain ES modules, served
from the binary.

| package | version | licence | npm integrity | shasum (sha1) |
| --- | --- | --- | --- | --- |
| preact | $PREACT | MIT | \`$integrity_preact\` | \`$shasum_preact\` |
| htm | $HTM | Apache-2.0 | \`$integrity_htm\` | \`$shasum_htm\` |
| axe-core | $AXE | MPL-2.0 | \`$integrity_axe_core\` | \`$shasum_axe_core\` |

## Files

| file | from the package | gzip bytes |
| --- | --- | --- |
| console/static/vendor/preact/preact.module.js | dist/preact.module.js | $(gz "$static/preact/preact.module.js") |
| console/static/vendor/preact/hooks.module.js | hooks/dist/hooks.module.js, \`"preact"\` imported as \`"./preact.module.js"\` | $(gz "$static/preact/hooks.module.js") |
| console/static/vendor/preact/LICENSE | LICENSE | |
| console/static/vendor/htm/htm.module.js | dist/htm.module.js | $(gz "$static/htm/htm.module.js") |
| console/static/vendor/htm/LICENSE | LICENSE | |
| journey/testdata/axe/axe.min.js | axe.min.js | $(gz "$axedir/axe.min.js") |
| journey/testdata/axe/LICENSE, LICENSE-3RD-PARTY.txt | the same | |

Source-map comments are stripped (the maps are not vendored), and the
bare specifier \`"preact"\` is rewritten to a relative path, so that the
browser loads the modules with no import map.

## Why these

- **Preact + htm** render the console. Together they weigh about 7 KB
  compressed, need no build step (htm gives JSX-like templates through
  tagged template literals, parsed in the browser), and use no \`eval\` or
  inline script, so the strict Content-Security-Policy holds. Preact's
  hooks keep components small; its API is React's, so it is widely known,
  and it is actively maintained. The 10.x line is used.
- **axe-core** is the standard accessibility engine. It is vendored for
  the browser tests only (journey/testdata/axe), injected into the page by
  the test, and never embedded in the binary.
EOF

echo "vendored preact $PREACT, htm $HTM, axe-core $AXE"
