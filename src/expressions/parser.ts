/**
 * Recursive-descent parser for condition, update and projection expressions. Produces
 * placeholder-bearing trees (see ast.ts); everything that depends only on the text
 * (syntax, reserved words, function arity and placement) is checked here, so it is
 * checked once per distinct expression thanks to the parse cache.
 */
import type { DynamoError } from '../errors.js';
import type {
  Comparator, RawCall, RawCondition, RawOperand, RawPath, RawSegment, RawSetValue, RawUpdate, RawValue,
} from './ast.js';
import {
  expressionError, functionMisuse, operandCount, requiresPath, type ExpressionKind,
} from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { isReservedWord } from './reservedWords.js';

/** DynamoDB's limits on one expression. */
export const MAX_IN_OPERANDS = 100;
export const MAX_PATH_DEPTH = 32;
/** Operators and functions in one expression (DynamoDB stops counting at the first one over). */
export const MAX_OPERATORS = 300;
/**
 * Parentheses nested deeper than this cannot be valid: every level that is not redundant
 * holds an operator, so such an expression has too many operators or redundant
 * parentheses. The bound keeps the recursive descent off the end of the stack.
 */
const MAX_PAREN_DEPTH = MAX_OPERATORS + 1;

const CONDITION_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains']);
const UPDATE_FUNCTIONS = new Set(['if_not_exists', 'list_append']);
const FUNCTION_ARITY: Record<string, number> = {
  attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2, size: 1,
  if_not_exists: 2, list_append: 2,
};
/** Functions whose first operand must be a document path. */
const PATH_FIRST = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'size', 'if_not_exists']);
const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const CONDITION_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const UPDATE_KEYWORDS = new Set(['SET', 'REMOVE', 'ADD', 'DELETE']);

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  /** Nodes that were written inside their own parentheses, to spot "((x))". */
  private readonly parenthesized = new WeakSet<object>();
  private operators = 0;
  private parenDepth = 0;

  constructor(private readonly kind: ExpressionKind, private readonly text: string) {
    this.tokens = tokenize(text);
  }

  // ---- token helpers ----

  private peek(): Token {
    return this.tokens[this.pos];
  }

  private next(): Token {
    return this.tokens[this.pos++];
  }

  private isPunct(text: string): boolean {
    const t = this.tokens[this.pos];
    return t.type === 'punct' && t.text === text;
  }

  private isKeyword(word: string): boolean {
    const t = this.tokens[this.pos];
    return t.type === 'identifier' && t.text.toUpperCase() === word;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) throw this.syntaxError();
    this.pos++;
  }

  /** DynamoDB quotes the offending token and the source from the token before it to the one after. */
  syntaxError(at = this.pos): DynamoError {
    const token = this.tokens[at];
    const prev = at > 0 ? this.tokens[at - 1] : undefined;
    const after = token.type === 'eof' ? undefined : this.tokens[at + 1];
    const from = prev ? prev.start : token.start;
    const to = after && after.type !== 'eof' ? after.end : token.type === 'eof' ? this.text.length : token.end;
    return expressionError(this.kind, `Syntax error; token: "${token.text}", near: "${this.text.slice(from, to)}"`);
  }

  /** Counts one operator or function; the 301st is refused at once, as DynamoDB refuses it. */
  private countOperator(): void {
    if (++this.operators > MAX_OPERATORS) throw this.tooManyOperators();
  }

  private tooManyOperators(): DynamoError {
    return expressionError(this.kind, `The expression contains too many operators; operator count: ${MAX_OPERATORS + 1}`);
  }

  /** Parentheses nested past MAX_PAREN_DEPTH: answered from a flat count of the whole text. */
  private tooDeep(): DynamoError {
    let operators = 0;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      const word = t.type === 'identifier' ? t.text.toUpperCase() : '';
      const call = t.type === 'identifier' && this.tokens[i + 1]?.type === 'punct' && this.tokens[i + 1]?.text === '(';
      if (CONDITION_KEYWORDS.has(word) || call || (t.type === 'punct' && COMPARATORS.has(t.text))) operators++;
    }
    if (operators > MAX_OPERATORS) return this.tooManyOperators();
    return expressionError(this.kind, 'The expression has redundant parentheses;');
  }

  expectEnd(): void {
    if (this.peek().type !== 'eof') throw this.syntaxError();
  }

  // ---- paths and operands ----

  private nameSegment(keywords: ReadonlySet<string>): RawSegment {
    const t = this.peek();
    if (t.type === 'name') {
      this.pos++;
      return { kind: 'ref', ref: t.text };
    }
    if (t.type !== 'identifier' || keywords.has(t.text.toUpperCase())) throw this.syntaxError();
    if (isReservedWord(t.text)) {
      throw expressionError(this.kind, `Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
    }
    this.pos++;
    return { kind: 'attr', name: t.text };
  }

  parsePath(keywords: ReadonlySet<string>): RawPath {
    const segments: RawSegment[] = [this.nameSegment(keywords)];
    for (;;) {
      if (this.isPunct('.')) {
        this.pos++;
        segments.push(this.nameSegment(keywords));
      } else if (this.isPunct('[')) {
        this.pos++;
        const t = this.peek();
        if (t.type !== 'number') throw this.syntaxError();
        this.pos++;
        this.expectPunct(']');
        segments.push({ kind: 'index', index: Number(t.text) });
      } else {
        break;
      }
    }
    if (segments.length > MAX_PATH_DEPTH) {
      throw expressionError(this.kind, `The document path has too many nesting levels; nesting levels: ${segments.length}`);
    }
    return { kind: 'path', segments };
  }

  private isCallStart(): boolean {
    const next = this.tokens[this.pos + 1];
    return this.peek().type === 'identifier' && next.type === 'punct' && next.text === '(';
  }

  /** An operand: a path, a `:value`, or a function call (checked for arity and path operands). */
  parseOperand(keywords: ReadonlySet<string>): RawOperand {
    const t = this.peek();
    if (t.type === 'value') {
      this.pos++;
      return { kind: 'value', ref: t.text } satisfies RawValue;
    }
    if (this.isCallStart()) return this.parseCall(keywords);
    return this.parsePath(keywords);
  }

  private parseCall(keywords: ReadonlySet<string>): RawCall {
    const name = this.next().text;
    if (!(name in FUNCTION_ARITY)) throw expressionError(this.kind, `Invalid function name; function: ${name}`);
    this.countOperator();
    this.pos++; // '('
    const args: RawOperand[] = [];
    if (!this.isPunct(')')) {
      args.push(this.parseOperand(keywords));
      while (this.isPunct(',')) {
        this.pos++;
        args.push(this.parseOperand(keywords));
      }
    }
    this.expectPunct(')');
    if (args.length !== FUNCTION_ARITY[name]) throw operandCount(this.kind, name, args.length);
    if (PATH_FIRST.has(name) && args[0].kind !== 'path') throw requiresPath(this.kind, name);
    return { kind: 'call', name, args };
  }

  // ---- conditions ----

  /** In a condition only `size` may be an operand; the other functions are conditions themselves. */
  private conditionOperand(): RawOperand {
    const operand = this.parseOperand(CONDITION_KEYWORDS);
    this.checkConditionOperand(operand);
    return operand;
  }

  private checkConditionOperand(operand: RawOperand): void {
    if (operand.kind !== 'call') return;
    if (operand.name !== 'size') throw functionMisuse(this.kind, operand.name);
  }

  parseCondition(): RawCondition {
    let left = this.parseAnd();
    while (this.isKeyword('OR')) {
      this.pos++;
      this.countOperator();
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): RawCondition {
    let left = this.parseNot();
    while (this.isKeyword('AND')) {
      this.pos++;
      this.countOperator();
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): RawCondition {
    if (this.isKeyword('NOT')) {
      this.pos++;
      this.countOperator();
      return { kind: 'not', operand: this.parseNot() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): RawCondition {
    if (this.isPunct('(')) {
      this.pos++;
      if (++this.parenDepth > MAX_PAREN_DEPTH) throw this.tooDeep();
      const inner = this.parseCondition();
      this.expectPunct(')');
      this.parenDepth--;
      if (this.parenthesized.has(inner)) throw expressionError(this.kind, 'The expression has redundant parentheses;');
      this.parenthesized.add(inner);
      return inner;
    }
    if (this.isCallStart()) {
      const call = this.parseCall(CONDITION_KEYWORDS);
      if (CONDITION_FUNCTIONS.has(call.name)) {
        for (const arg of call.args) this.checkConditionOperand(arg);
        if (this.startsComparison()) throw functionMisuse(this.kind, call.name);
        return { kind: 'function', call };
      }
      if (call.name !== 'size' || !this.startsComparison()) throw functionMisuse(this.kind, call.name);
      for (const arg of call.args) this.checkConditionOperand(arg);
      return this.parseComparison(call);
    }
    return this.parseComparison(this.conditionOperand());
  }

  private startsComparison(): boolean {
    const t = this.peek();
    return (t.type === 'punct' && COMPARATORS.has(t.text)) || this.isKeyword('BETWEEN') || this.isKeyword('IN');
  }

  private parseComparison(subject: RawOperand): RawCondition {
    const t = this.peek();
    if (t.type === 'punct' && COMPARATORS.has(t.text)) {
      this.pos++;
      this.countOperator();
      return { kind: 'compare', op: t.text as Comparator, left: subject, right: this.conditionOperand() };
    }
    if (this.isKeyword('BETWEEN')) {
      this.pos++;
      this.countOperator();
      const low = this.conditionOperand();
      if (!this.isKeyword('AND')) throw this.syntaxError();
      this.pos++;
      return { kind: 'between', subject, low, high: this.conditionOperand() };
    }
    if (this.isKeyword('IN')) {
      this.pos++;
      this.countOperator();
      this.expectPunct('(');
      const list = [this.conditionOperand()];
      while (this.isPunct(',')) {
        this.pos++;
        list.push(this.conditionOperand());
      }
      this.expectPunct(')');
      if (list.length > MAX_IN_OPERANDS) {
        throw expressionError(this.kind, `The IN operator is provided with too many operands; number of operands: ${list.length}`);
      }
      return { kind: 'in', subject, list };
    }
    throw this.syntaxError();
  }

  // ---- update ----

  parseUpdate(): RawUpdate {
    const update: RawUpdate = { set: [], remove: [], add: [], delete: [] };
    const seen = new Set<string>();
    do {
      const t = this.peek();
      const clause = t.type === 'identifier' ? t.text.toUpperCase() : '';
      if (!UPDATE_KEYWORDS.has(clause)) throw this.syntaxError();
      if (seen.has(clause)) {
        throw expressionError(this.kind, `The "${clause}" section can only be used once in an update expression;`);
      }
      seen.add(clause);
      this.pos++;
      for (;;) {
        const path = this.parsePath(UPDATE_KEYWORDS);
        if (clause === 'SET') {
          this.expectPunct('=');
          update.set.push({ path, value: this.parseSetValue() });
        } else if (clause === 'REMOVE') {
          update.remove.push(path);
        } else {
          const v = this.peek();
          if (v.type !== 'value') throw this.syntaxError();
          this.pos++;
          (clause === 'ADD' ? update.add : update.delete).push({ path, value: { kind: 'value', ref: v.text } });
        }
        if (!this.isPunct(',')) break;
        this.pos++;
      }
    } while (this.peek().type !== 'eof');
    return update;
  }

  /**
   * DynamoDB also takes the value in brackets, `SET n = (if_not_exists(n, :zero) - :v)`,
   * as libraries such as ElectroDB send it; its grammar summary shows no brackets.
   */
  private parseSetValue(): RawSetValue {
    if (this.isPunct('(')) {
      this.pos++;
      const value = this.parseSetValue();
      this.expectPunct(')');
      return value;
    }
    const left = this.setOperand();
    if (this.isPunct('+') || this.isPunct('-')) {
      const op = this.next().text as '+' | '-';
      this.countOperator();
      return { kind: 'arith', op, left, right: this.setOperand() };
    }
    return left;
  }

  /** Only if_not_exists and list_append may appear in an update, and nest in one another. */
  private setOperand(): RawOperand {
    const operand = this.parseOperand(UPDATE_KEYWORDS);
    this.checkUpdateOperand(operand);
    return operand;
  }

  private checkUpdateOperand(operand: RawOperand): void {
    if (operand.kind !== 'call') return;
    if (!UPDATE_FUNCTIONS.has(operand.name)) throw functionMisuse(this.kind, operand.name);
    for (const arg of operand.args) this.checkUpdateOperand(arg);
  }

  // ---- projection ----

  parseProjection(): RawPath[] {
    const paths = [this.parsePath(NO_KEYWORDS)];
    while (this.isPunct(',')) {
      this.pos++;
      paths.push(this.parsePath(NO_KEYWORDS));
    }
    return paths;
  }
}

const NO_KEYWORDS: ReadonlySet<string> = new Set();

export function parseCondition(kind: ExpressionKind, text: string): RawCondition {
  const parser = new Parser(kind, text);
  const condition = parser.parseCondition();
  parser.expectEnd();
  return condition;
}

export function parseUpdate(text: string): RawUpdate {
  const parser = new Parser('UpdateExpression', text);
  return parser.parseUpdate();
}

export function parseProjection(text: string): RawPath[] {
  const parser = new Parser('ProjectionExpression', text);
  const paths = parser.parseProjection();
  parser.expectEnd();
  return paths;
}
