// Reports how schema.graphql differs from the last tagged release (graphql-inspector's
// diff), breaking changes first. It reports; CHANGELOG.md says why a breaking change was
// made, and the README's "Schema changes" says when one may be.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { buildSchema } from "graphql";
import { diff, CriticalityLevel } from "@graphql-inspector/core";

const git = (...args) =>
  execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
let tag;
try {
  tag = git("describe", "--tags", "--abbrev=0", "--match", "v*");
} catch {
  console.log("no tagged release (v*) in this checkout: nothing to compare with");
  process.exit(0);
}
const before = buildSchema(git("show", `${tag}:schema.graphql`));
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
