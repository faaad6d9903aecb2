// Runs every server audit of graphql-http against the URL given as the first argument and
// fails when any MUST or SHOULD audit does not pass. Usage: node audit.mjs http://127.0.0.1:8080/graphql
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs <graphql url>');
  process.exit(2);
}

const results = await Promise.all(serverAudits({ url, fetchFn: fetch }).map((audit) => audit.fn()));
let failed = 0;
for (const result of results) {
  const mandatory = result.name.startsWith('MUST') || result.name.startsWith('SHOULD');
  if (result.status !== 'ok') {
    console.log(`${mandatory ? 'FAIL' : 'note'} ${result.id} ${result.name}: ${result.reason}`);
    if (mandatory) failed += 1;
  }
}
console.log(`graphql-http audits: ${results.length - failed} of ${results.length} ok`);
process.exit(failed === 0 ? 0 : 1);
