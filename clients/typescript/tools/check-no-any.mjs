// Fails when a declaration file under the given directory uses the `any` type anywhere.
// Uses the TypeScript compiler's own parser (Debian's node-typescript, or a local install).
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
let ts;
for (const candidate of ['typescript', '/usr/share/nodejs/typescript', '/usr/lib/node_modules/typescript']) {
  try {
    ts = require(candidate);
    break;
  } catch {
    // try the next place
  }
}
if (ts === undefined) {
  console.error('check-no-any: the typescript package was not found');
  process.exit(2);
}

const root = process.argv[2] ?? 'dist';
const files = readdirSync(root, { recursive: false })
  .filter((name) => name.endsWith('.d.ts'))
  .map((name) => join(root, name));
let found = 0;
for (const file of files) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) {
      const { line, character } = source.getLineAndCharacterOfPosition(node.getStart());
      console.error(`${file}:${line + 1}:${character + 1}: 'any' in a public type: ${node.parent.getText()}`);
      found += 1;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
if (files.length === 0) {
  console.error(`check-no-any: no .d.ts files in ${root}`);
  process.exit(2);
}
console.log(`check-no-any: ${files.length} declaration files, ${found} uses of any`);
process.exit(found === 0 ? 0 : 1);
