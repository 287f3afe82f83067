#!/usr/bin/env node
/**
 * Extracts the part of DynamoDB's service model that request validation needs.
 *
 *   node scripts/extract-model.mjs [service-2.json] [out.json]
 *
 * The source defaults to scripts/model/dynamodb-2012-08-10.service.json, botocore's
 * copy of DynamoDB's model committed here (botocore 1.43, 2026: 57 operations); to
 * follow a newer model, replace that file and run the script.
 * Keeps, for every shape reachable from an operation's input: type, members (name ->
 * shape) and required list, list member / map key and value shapes, min, max, enum
 * and pattern. Documentation, outputs and errors are dropped. Default output:
 * src/api/model/dynamodb-model.json (committed data, regenerate when the model moves).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [
  source = join(here, 'model/dynamodb-2012-08-10.service.json'),
  target = join(here, '../src/api/model/dynamodb-model.json'),
] = process.argv.slice(2);

const service = JSON.parse(readFileSync(source, 'utf8'));
const operations = {};
const shapes = {};
// The required member that names the resource an operation acts on (the model marks it
// with contextParam ResourceArn): DynamoDB checks its presence before anything else.
const resourceMembers = {};

function compact(shape) {
  const out = { type: shape.type };
  if (shape.members) {
    out.members = Object.fromEntries(Object.entries(shape.members).map(([name, ref]) => [name, ref.shape]));
    if (shape.required?.length) out.required = shape.required;
  }
  if (shape.member) out.member = shape.member.shape;
  if (shape.key) out.key = shape.key.shape;
  if (shape.value) out.value = shape.value.shape;
  for (const field of ['min', 'max', 'enum', 'pattern']) if (shape[field] !== undefined) out[field] = shape[field];
  return out;
}

function visit(name) {
  if (shapes[name]) return;
  const shape = service.shapes[name];
  if (!shape) throw new Error(`shape ${name} is referenced but not defined`);
  shapes[name] = compact(shape);
  for (const ref of Object.values(shape.members ?? {})) visit(ref.shape);
  for (const ref of [shape.member, shape.key, shape.value]) if (ref) visit(ref.shape);
}

for (const name of Object.keys(service.operations).sort()) {
  const input = service.operations[name].input?.shape;
  if (!input) continue;
  operations[name] = input;
  const { members, required = [] } = service.shapes[input];
  const resource = Object.keys(members).find((m) => members[m].contextParam?.name === 'ResourceArn' && required.includes(m));
  if (resource) resourceMembers[name] = resource;
  visit(input);
}

// One shape per line: compact, yet diffs stay readable when the model changes.
const lines = (obj) => Object.entries(obj).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n');
const text =
  `{\n  "apiVersion": ${JSON.stringify(service.metadata.apiVersion)},\n` +
  `  "operations": {\n${lines(operations)}\n  },\n` +
  `  "resourceMembers": {\n${lines(resourceMembers)}\n  },\n` +
  `  "shapes": {\n${lines(shapes)}\n  }\n}\n`;
writeFileSync(target, text);
console.log(`${Object.keys(operations).length} operations, ${Object.keys(shapes).length} shapes -> ${target}`);
