/**
 * DynamoDB's PartiQL dialect: statements parsed once and cached by their text, then
 * compiled per request (parameters bound) into item API requests.
 */
import { GenerationalCache } from '../expressions/parseCache.js';
import type { ParsedStatement } from './ast.js';
import { parseStatement } from './parser.js';

export type { ParsedStatement, Statement } from './ast.js';
export { checkParameterCount, compileGet, compileStatement, PARTITION_VALUE } from './compile.js';
export type { Compiled, CompiledSelect, CompiledWrite, KeySchemas, Request } from './compile.js';
export type { Parameters } from './literals.js';
export { duplicateItem } from './errors.js';

const parsed = new GenerationalCache<ParsedStatement>(2000);

/** The statement's syntax tree; only statements that parse are cached. */
export function parseCached(text: string): ParsedStatement {
  let statement = parsed.get(text);
  if (statement === undefined) {
    statement = parseStatement(text);
    parsed.set(text, statement);
  }
  return statement;
}
