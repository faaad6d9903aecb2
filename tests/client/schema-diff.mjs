// Reports how schema.graphql differs from the last release (graphql-inspector's
// diff), breaking changes first. It reports; CHANGELOG.md says why a breaking change was
// made, and the README's "Schema changes" says when one may be.
import { readFileSync, readdirSync } from "node:fs";
import { buildSchema } from "graphql";
import { diff, CriticalityLevel } from "@graphql-inspector/core";

// The schema of every release is kept in releases/ (git tags do not travel with every clone);
// the newest is the one to compare with.
const version = (name) => name.replace(/\.graphql$/, "").split(".").map(Number);
const newer = (a, b) => {
  const [x, y] = [version(a), version(b)];
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return 0;
};
const releases = readdirSync("releases").filter((name) => name.endsWith(".graphql")).sort(newer);
if (releases.length === 0) {
  console.error("releases/ holds no released schema to compare with");
  process.exit(1);
}
const tag = `v${releases.at(-1).replace(/\.graphql$/, "")}`;
const before = buildSchema(readFileSync(`releases/${releases.at(-1)}`, "utf8"));
const after = buildSchema(readFileSync("../../schema.graphql", "utf8"));
const changes = await diff(before, after);
const order = [CriticalityLevel.Breaking, CriticalityLevel.Dangerous, CriticalityLevel.NonBreaking];
console.log(`schema.graphql against ${tag}: ${changes.length} changes`);
for (const level of order) {
  const of = changes.filter((c) => c.criticality.level === level);
  if (of.length === 0) continue;
  console.log(`\n${level} (${of.length}):`);
  for (const change of of) console.log(`  ${change.path ?? ""}: ${change.message}`);
}
