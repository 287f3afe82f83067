/** The syntax tree of a PartiQL statement, as parsed (parameters not yet bound). */

/** A document path: a top-level name, then names (`.b`) and list indexes (`[2]`). */
export interface PathExpr {
  kind: 'path';
  steps: (string | number)[];
}

export type Expr =
  | PathExpr
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'missing' }
  | { kind: 'param'; index: number }
  | { kind: 'list'; items: Expr[] }
  | { kind: 'map'; entries: [string, Expr][] }
  | { kind: 'set'; items: Expr[] }
  | { kind: 'call'; name: string; args: Expr[] }
  | { kind: 'arith'; op: '+' | '-'; left: Expr; right: Expr }
  | { kind: 'compare'; op: '=' | '<>' | '<' | '<=' | '>' | '>='; left: Expr; right: Expr }
  | { kind: 'between'; subject: Expr; low: Expr; high: Expr }
  | { kind: 'in'; subject: Expr; list: Expr[] }
  | { kind: 'is'; subject: Expr; what: 'MISSING' | 'NULL'; negated: boolean }
  | { kind: 'and' | 'or'; left: Expr; right: Expr }
  | { kind: 'not'; operand: Expr };

export interface TableRef {
  table: string;
  index?: string;
}

export interface SelectStatement {
  kind: 'select';
  /** Undefined for `*`. */
  projection?: PathExpr[];
  from: TableRef;
  where?: Expr;
  orderBy: { path: PathExpr; descending: boolean }[];
}

export interface InsertStatement {
  kind: 'insert';
  table: string;
  value: Expr;
}

export type UpdateClause = { kind: 'set'; path: PathExpr; value: Expr } | { kind: 'remove'; path: PathExpr };

/** RETURNING clauses map onto ReturnValues. */
export type Returning = 'ALL_OLD' | 'UPDATED_OLD' | 'ALL_NEW' | 'UPDATED_NEW';

export interface UpdateStatement {
  kind: 'update';
  table: string;
  clauses: UpdateClause[];
  where?: Expr;
  returning?: Returning;
}

export interface DeleteStatement {
  kind: 'delete';
  table: string;
  where?: Expr;
  returning?: Returning;
}

/** `EXISTS(SELECT ...)`: a condition check, in transactions only. */
export interface ExistsStatement {
  kind: 'exists';
  select: SelectStatement;
}

export type Statement = SelectStatement | InsertStatement | UpdateStatement | DeleteStatement | ExistsStatement;

export interface ParsedStatement {
  statement: Statement;
  /** How many `?` placeholders the statement has. */
  parameters: number;
}
