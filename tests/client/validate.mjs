// Validates schema.graphql itself (graphql-js builds it and checks it against the spec) and
// every plain document against it, as graphql-js `validate()` does in a client's tests, with
// the rule that the SPA uses no deprecated field, argument or enum value: what is
// deprecated goes in the next release.
import { readFileSync, readdirSync } from "node:fs";
import {
  NoDeprecatedCustomRule,
  buildSchema,
  concatAST,
  parse,
  specifiedRules,
  validate,
  validateSchema,
} from "graphql";

const schema = buildSchema(readFileSync("../../schema.graphql", "utf8"));
const schemaErrors = validateSchema(schema);
const files = readdirSync("documents").filter((f) => f.endsWith(".graphql"));
const document = concatAST(
  files.map((f) => parse(readFileSync(`documents/${f}`, "utf8"))),
);
const rules = [...specifiedRules, NoDeprecatedCustomRule];
const errors = [...schemaErrors, ...validate(schema, document, rules)];
for (const error of errors) console.error(error.message);
if (errors.length > 0) process.exit(1);
const operations = document.definitions.filter((d) => d.kind === "OperationDefinition");
console.log(`schema valid; ${operations.length} operations in ${files.length} files valid`);
