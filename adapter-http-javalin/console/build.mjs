// Vendors @farcaster/miniapp-sdk into one minified ES module the console imports: `npm ci && npm run build` here, then
// commit the output (the Maven build does not run Node for the console; a test there checks the script weight budget).
//   node build.mjs           writes ../src/main/resources/dev/basenft/adapter/http/javalin/console/miniapp-sdk.js
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.join(here, '../src/main/resources/dev/basenft/adapter/http/javalin/console/miniapp-sdk.js');

// Only inside the SDK: its imports of @farcaster/miniapp-core go to our shim (see src/miniapp-core-shim.js).
const coreShim = {
  name: 'miniapp-core-shim',
  setup(b) {
    b.onResolve({ filter: /^@farcaster\/miniapp-core$/ }, (args) =>
      args.importer.includes(`${path.sep}miniapp-sdk${path.sep}`)
        ? { path: path.join(here, 'src/miniapp-core-shim.js') }
        : undefined);
  },
};

await build({
  entryPoints: [path.join(here, 'src/sdk-entry.js')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  platform: 'browser',
  legalComments: 'eof',
  banner: { js: '// @farcaster/miniapp-sdk 0.3.0 (MIT), bundled by adapter-http-javalin/console/build.mjs; do not edit' },
  plugins: [coreShim],
  outfile: out,
  logLevel: 'warning',
});
const bytes = readFileSync(out);
console.log(`${path.relative(here, out)}: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} gzipped`);
