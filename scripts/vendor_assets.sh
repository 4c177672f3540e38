#!/usr/bin/env bash
# Copy the front-end assets Repères serves itself into static/.
#
# The site makes no request to any third-party host, so fonts are committed under
# static/fonts/ rather than loaded from a CDN. This script documents (and repeats)
# how those files were obtained: `npm ci` installs the exact versions pinned in
# package-lock.json into node_modules/ (git-ignored), then the files we need are
# copied. Run it only to upgrade an asset; the committed copies are what is served.
#
#   bash scripts/vendor_assets.sh
#
# Fonts: Source Sans 3 (SIL Open Font License 1.1, via @fontsource/source-sans-3),
# Latin subset (U+0000-00FF, Œ/œ, typographic quotes and dashes, €): it keeps pages
# light and makes WeasyPrint PDFs faster.
#   static/fonts/*.woff2      regular, bold, italic, bold italic — for the web pages
#   static/fonts/pdf/*.woff   regular and bold as WOFF — WeasyPrint reads WOFF/TTF —
#                             plus the Latin Extended subset in regular and bold, for
#                             names as written on certificates (Łukasz, Wiśniewska);
#                             static/fonts/pdf/fonts.css declares all four
set -euo pipefail

cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund

src=node_modules/@fontsource/source-sans-3
mkdir -p static/fonts/pdf

for variant in 400-normal 400-italic 700-normal 700-italic; do
    cp "$src/files/source-sans-3-latin-$variant.woff2" static/fonts/
done
cp "$src/files/source-sans-3-latin-400-normal.woff" static/fonts/pdf/SourceSans3-Regular.woff
cp "$src/files/source-sans-3-latin-700-normal.woff" static/fonts/pdf/SourceSans3-Bold.woff
cp "$src/files/source-sans-3-latin-ext-400-normal.woff" static/fonts/pdf/SourceSans3-LatinExt-Regular.woff
cp "$src/files/source-sans-3-latin-ext-700-normal.woff" static/fonts/pdf/SourceSans3-LatinExt-Bold.woff
cp "$src/LICENSE" static/fonts/LICENSE-SourceSans3.txt

echo "Vendored $(node -p "require('./$src/package.json').version") of @fontsource/source-sans-3 into static/fonts/."
