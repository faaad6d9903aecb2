// Validates schema.graphql itself (graphql-js builds it and checks it against the spec) and
// every plain document against it, as graphql-js `validate()` does in a client's tests.
import { readFileSync, readdirSync } from "node:fs";
import { buildSchema, parse, validate, validateSchema, concatAST } from "graphql";

const schema = buildSchema(readFileSync("../../schema.graphql", "utf8"));
const schemaErrors = validateSchema(schema);
const files = readdirSync("documents").filter((f) => f.endsWith(".graphql"));
const document = concatAST(
  files.map((f) => parse(readFileSync(`documents/${f}`, "utf8"))),
);
const errors = [...schemaErrors, ...validate(schema, document)];
for (const error of errors) console.error(error.message);
if (errors.length > 0) process.exit(1);
const operations = document.definitions.filter((d) => d.kind === "OperationDefinition");
console.log(`schema valid; ${operations.length} operations in ${files.length} files valid`);
