/**
 * A recursive-descent parser for DynamoDB's PartiQL dialect: SELECT, INSERT, UPDATE,
 * DELETE and (in transactions) EXISTS(SELECT ...). Produces the tree in ast.ts.
 */
import type { DynamoError } from '../errors.js';
import type { Expr, ParsedStatement, PathExpr, Returning, SelectStatement, Statement, TableRef, UpdateClause } from './ast.js';
import { notWellFormed, unsupported } from './errors.js';
import { tokenize, type Token } from './lexer.js';

const COMPARISONS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);

const KEYWORD_LITERALS: Record<string, Expr> = {
  TRUE: { kind: 'bool', value: true },
  FALSE: { kind: 'bool', value: false },
  NULL: { kind: 'null' },
  MISSING: { kind: 'missing' },
};

class Parser {
  private pos = 0;
  private params = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): ParsedStatement {
    const statement = this.statement();
    this.acceptPunct(';');
    if (this.peek().kind !== 'end') throw this.unexpected();
    return { statement, parameters: this.params };
  }

  private statement(): Statement {
    const t = this.peek();
    if (t.kind === 'keyword') {
      switch (t.text) {
        case 'SELECT':
          return this.select();
        case 'INSERT':
          return this.insert();
        case 'UPDATE':
          return this.update();
        case 'DELETE':
          return this.delete();
        case 'EXISTS': {
          this.next();
          this.expectPunct('(');
          const select = this.select();
          this.expectPunct(')');
          return { kind: 'exists', select };
        }
      }
    }
    throw this.unexpected();
  }

  private select(): SelectStatement {
    this.expectKeyword('SELECT');
    let projection: PathExpr[] | undefined;
    if (!this.acceptPunct('*')) {
      if (this.peek().kind === 'keyword' && this.peek().text === 'DISTINCT') throw unsupported('DISTINCT is not supported');
      projection = [this.projectedPath()];
      while (this.acceptPunct(',')) projection.push(this.projectedPath());
    }
    this.expectKeyword('FROM');
    const from = this.tableRef();
    const where = this.acceptKeyword('WHERE') ? this.expr() : undefined;
    const orderBy: SelectStatement['orderBy'] = [];
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      do {
        const path = this.path();
        const descending = this.acceptKeyword('DESC');
        if (!descending) this.acceptKeyword('ASC');
        orderBy.push({ path, descending });
      } while (this.acceptPunct(','));
    }
    return { kind: 'select', projection, from, where, orderBy };
  }

  private projectedPath(): PathExpr {
    if (this.peek().kind === 'identifier' && this.peekAt(1).text === '(') throw unsupported('Aggregate and function projections are not supported');
    return this.path();
  }

  private tableRef(): TableRef {
    const table = this.name();
    if (!this.acceptPunct('.')) return { table };
    return { table, index: this.name() };
  }

  private insert(): Statement {
    this.expectKeyword('INSERT');
    this.expectKeyword('INTO');
    const table = this.name();
    if (this.peek().kind === 'keyword' && this.peek().text === 'VALUES') {
      throw unsupported('Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead');
    }
    this.expectKeyword('VALUE');
    return { kind: 'insert', table, value: this.additive() };
  }

  private update(): Statement {
    this.expectKeyword('UPDATE');
    const table = this.name();
    const clauses: UpdateClause[] = [];
    for (;;) {
      if (this.acceptKeyword('SET')) {
        do {
          const path = this.path();
          this.expectPunct('=');
          clauses.push({ kind: 'set', path, value: this.additive() });
        } while (this.acceptPunct(','));
      } else if (this.acceptKeyword('REMOVE')) {
        do clauses.push({ kind: 'remove', path: this.path() });
        while (this.acceptPunct(','));
      } else break;
    }
    if (clauses.length === 0) throw this.unexpected();
    const where = this.acceptKeyword('WHERE') ? this.expr() : undefined;
    return { kind: 'update', table, clauses, where, returning: this.returning() };
  }

  private delete(): Statement {
    this.expectKeyword('DELETE');
    this.expectKeyword('FROM');
    const table = this.name();
    const where = this.acceptKeyword('WHERE') ? this.expr() : undefined;
    return { kind: 'delete', table, where, returning: this.returning() };
  }

  private returning(): Returning | undefined {
    if (!this.acceptKeyword('RETURNING')) return undefined;
    const scope = this.acceptKeyword('ALL') ? 'ALL' : this.acceptKeyword('MODIFIED') ? 'UPDATED' : undefined;
    if (scope === undefined) throw this.unexpected();
    const age = this.acceptKeyword('OLD') ? 'OLD' : this.acceptKeyword('NEW') ? 'NEW' : undefined;
    if (age === undefined) throw this.unexpected();
    this.expectPunct('*');
    return `${scope}_${age}` as Returning;
  }

  // Expressions, loosest binding first.

  private expr(): Expr {
    let left = this.and();
    while (this.acceptKeyword('OR')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  private and(): Expr {
    let left = this.not();
    while (this.acceptKeyword('AND')) left = { kind: 'and', left, right: this.not() };
    return left;
  }

  private not(): Expr {
    if (this.acceptKeyword('NOT')) return { kind: 'not', operand: this.not() };
    return this.predicate();
  }

  private predicate(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'punct' && COMPARISONS.has(t.text)) {
      this.next();
      const op = t.text === '!=' ? '<>' : (t.text as '=' | '<>' | '<' | '<=' | '>' | '>=');
      return { kind: 'compare', op, left, right: this.additive() };
    }
    if (this.acceptKeyword('IS')) {
      const negated = this.acceptKeyword('NOT');
      const what = this.acceptKeyword('MISSING') ? 'MISSING' : this.acceptKeyword('NULL') ? 'NULL' : undefined;
      if (what === undefined) throw this.unexpected();
      return { kind: 'is', subject: left, what, negated };
    }
    const negated = this.acceptKeyword('NOT');
    if (this.acceptKeyword('BETWEEN')) {
      const low = this.additive();
      this.expectKeyword('AND');
      const between: Expr = { kind: 'between', subject: left, low, high: this.additive() };
      return negated ? { kind: 'not', operand: between } : between;
    }
    if (this.acceptKeyword('IN')) {
      const close = this.acceptPunct('[') ? ']' : (this.expectPunct('('), ')');
      const list: Expr[] = [];
      if (!this.acceptPunct(close)) {
        do list.push(this.additive());
        while (this.acceptPunct(','));
        this.expectPunct(close);
      }
      const inList: Expr = { kind: 'in', subject: left, list };
      return negated ? { kind: 'not', operand: inList } : inList;
    }
    if (negated) throw this.unexpected();
    return left;
  }

  private additive(): Expr {
    let left = this.primary();
    for (;;) {
      const op = this.acceptPunct('+') ? '+' : this.acceptPunct('-') ? '-' : undefined;
      if (op === undefined) return left;
      left = { kind: 'arith', op, left, right: this.primary() };
    }
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.next();
        return { kind: 'string', value: t.text };
      case 'number':
        this.next();
        return { kind: 'number', text: t.text };
      case 'param':
        this.next();
        return { kind: 'param', index: this.params++ };
      case 'identifier':
        if (this.peekAt(1).text === '(' && this.peekAt(1).kind === 'punct') return this.call();
        return this.path();
      case 'quoted':
        return this.path();
      case 'keyword': {
        const literal = KEYWORD_LITERALS[t.text];
        if (literal === undefined) throw this.unexpected();
        this.next();
        return literal;
      }
      case 'punct':
        return this.punctPrimary(t);
      default:
        throw this.unexpected();
    }
  }

  private punctPrimary(t: Token): Expr {
    if (t.text === '-' && this.peekAt(1).kind === 'number') {
      this.next();
      return { kind: 'number', text: '-' + this.next().text };
    }
    if (t.text === '(') {
      this.next();
      const inner = this.expr();
      this.expectPunct(')');
      return inner;
    }
    if (t.text === '[' || t.text === '<<') {
      this.next();
      const close = t.text === '[' ? ']' : '>>';
      const items: Expr[] = [];
      if (!this.acceptPunct(close)) {
        do items.push(this.additive());
        while (this.acceptPunct(','));
        this.expectPunct(close);
      }
      return t.text === '[' ? { kind: 'list', items } : { kind: 'set', items };
    }
    if (t.text === '{') {
      this.next();
      const entries: [string, Expr][] = [];
      if (!this.acceptPunct('}')) {
        do {
          const key = this.next();
          if (key.kind !== 'string' && key.kind !== 'quoted') throw this.unexpected(key);
          this.expectPunct(':');
          entries.push([key.text, this.additive()]);
        } while (this.acceptPunct(','));
        this.expectPunct('}');
      }
      return { kind: 'map', entries };
    }
    throw this.unexpected();
  }

  private call(): Expr {
    const name = this.next().text.toLowerCase();
    this.expectPunct('(');
    const args: Expr[] = [];
    if (!this.acceptPunct(')')) {
      do args.push(this.additive());
      while (this.acceptPunct(','));
      this.expectPunct(')');
    }
    return { kind: 'call', name, args };
  }

  private path(): PathExpr {
    const steps: (string | number)[] = [this.name()];
    for (;;) {
      if (this.acceptPunct('.')) {
        steps.push(this.name());
      } else if (this.acceptPunct('[')) {
        const t = this.next();
        if (t.kind === 'number' && /^[0-9]+$/.test(t.text)) steps.push(Number(t.text));
        else if (t.kind === 'string') steps.push(t.text);
        else throw this.unexpected(t);
        this.expectPunct(']');
      } else return { kind: 'path', steps };
    }
  }

  /** A table, index or attribute name: bare or double-quoted. */
  private name(): string {
    const t = this.next();
    if (t.kind === 'identifier' || t.kind === 'quoted') return t.text;
    throw this.unexpected(t);
  }

  // Token helpers.

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private peekAt(offset: number): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.tokens[this.pos]!;
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  private acceptKeyword(word: string): boolean {
    const t = this.peek();
    if (t.kind !== 'keyword' || t.text !== word) return false;
    this.pos++;
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) throw this.unexpected();
  }

  private acceptPunct(text: string): boolean {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== text) return false;
    this.pos++;
    return true;
  }

  private expectPunct(text: string): void {
    if (!this.acceptPunct(text)) throw this.unexpected();
  }

  private unexpected(t: Token = this.peek()): DynamoError {
    switch (t.kind) {
      case 'end':
        return notWellFormed('Unexpected end of statement');
      case 'keyword':
        return notWellFormed(`Unexpected keyword: ${t.text}`);
      case 'identifier':
      case 'quoted':
        return notWellFormed(`Unexpected identifier: ${t.text}`);
      case 'string':
      case 'number':
        return notWellFormed(`Unexpected literal: ${t.text}`);
      default:
        return notWellFormed(`Unexpected token: ${t.text}`);
    }
  }
}

export function parseStatement(text: string): ParsedStatement {
  return new Parser(tokenize(text)).parse();
}
