// Parses each AsyncAPI document given with the official parser and prints every diagnostic;
// exits 1 when a document has an error. Run by AsyncApiTests from a directory where
// @asyncapi/parser is installed.
import { Parser } from '@asyncapi/parser';
import { readFileSync } from 'node:fs';

const severities = ['error', 'warning', 'information', 'hint'];
const parser = new Parser();
let failed = false;
for (const file of process.argv.slice(2)) {
  const { document, diagnostics } = await parser.parse(readFileSync(file, 'utf8'));
  for (const diagnostic of diagnostics) {
    console.log(`${file}: ${severities[diagnostic.severity]} ${diagnostic.code}: ${diagnostic.message} at /${diagnostic.path.join('/')}`);
  }
  if (document === undefined || diagnostics.some((diagnostic) => diagnostic.severity === 0)) {
    failed = true;
  }
  else {
    console.log(`${file}: valid AsyncAPI ${document.version()}, ${document.channels().length} channels, `
      + `${document.operations().length} operations, ${document.messages().length} messages`);
  }
}
process.exit(failed ? 1 : 0);
