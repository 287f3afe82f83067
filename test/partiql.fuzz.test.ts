/** Random and mutated PartiQL statements: every one answers 200 or a DynamoDB 400, never a 500, and the server keeps serving. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTable, rawRequest, startTestServer, type TestContext } from './helpers.js';
import { seededRandom } from './seededRandom.js';

const VALID = [
  `SELECT * FROM fuzz WHERE pk = 'a' AND sk > 1`,
  `SELECT a.b[1], "c" FROM fuzz WHERE pk IN ['a', 'b'] ORDER BY pk DESC`,
  `INSERT INTO fuzz VALUE {'pk': 'a', 'sk': 2, 'l': [1, {'m': <<'x'>>}], 'n': 1}`,
  `UPDATE fuzz SET n = n + 1 SET l = list_append(l, [2]) REMOVE x WHERE pk = 'a' AND sk = 2 RETURNING ALL NEW *`,
  `DELETE FROM fuzz WHERE pk = 'a' AND sk = 2 AND attribute_type(n, 'N') RETURNING ALL OLD *`,
  `SELECT * FROM fuzz WHERE size(l) BETWEEN 1 AND 3 OR NOT begins_with(pk, 'z') AND x IS NOT MISSING`,
];

const TOKENS = [
  'SELECT', 'FROM', 'WHERE', 'INSERT', 'INTO', 'VALUE', 'UPDATE', 'SET', 'REMOVE', 'DELETE', 'RETURNING', 'ALL', 'OLD', 'NEW', 'MODIFIED',
  'AND', 'OR', 'NOT', 'IN', 'IS', 'MISSING', 'NULL', 'BETWEEN', 'ORDER', 'BY', 'DESC', 'EXISTS', '*', '=', '<>', '<', '>=', '+', '-',
  '(', ')', '[', ']', '{', '}', '<<', '>>', ',', '.', ':', ';', '?', 'fuzz', '"fuzz"', 'pk', 'sk', 'a', "'a'", "'it''s'", '1', '-2.5e3',
  'size', 'contains', 'begins_with', 'set_add', 'list_append', 'true', 'null', '"x"."y"', "'", '"', '--', '\u00e9', '1e999', '99999999999999999999999999999999999999999',
];

describe('PartiQL fuzzing', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer({ inMemory: true });
    await createTable(t.client, 'fuzz', ['pk', 'S'], ['sk', 'N']);
  });
  after(() => t.close());

  async function send(statement: string, parameters?: unknown[]): Promise<number> {
    const body: Record<string, unknown> = { Statement: statement };
    if (parameters !== undefined) body.Parameters = parameters;
    const res = await rawRequest(t.server.url, 'ExecuteStatement', JSON.stringify(body));
    assert.ok(res.status === 200 || res.status === 400, `status ${res.status} for ${JSON.stringify(statement)}: ${res.text}`);
    if (res.status === 400) assert.ok(typeof res.json?.__type === 'string' && typeof res.json?.message === 'string', res.text);
    return res.status;
  }

  it('random token sequences and mutated statements never crash the server', async () => {
    const random = seededRandom(1616);
    const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
    for (const statement of VALID) assert.equal(await send(statement), 200, statement);
    let ok = 0;
    for (let i = 0; i < 300; i++) {
      const tokens = Array.from({ length: 1 + Math.floor(random() * 14) }, () => pick(TOKENS));
      if (random() < 0.5) tokens.unshift(pick(['SELECT * FROM fuzz WHERE', 'UPDATE fuzz SET', 'INSERT INTO fuzz VALUE', 'DELETE FROM fuzz WHERE']));
      const params = tokens.filter((x) => x === '?').length;
      const parameters = params > 0 && random() < 0.7 ? Array.from({ length: params }, () => pick([{ S: 'a' }, { N: '1' }, { L: [] }, { M: {} }, { B: 'AQ==' }])) : undefined;
      if ((await send(tokens.join(random() < 0.8 ? ' ' : ''), parameters)) === 200) ok++;
    }
    for (let i = 0; i < 300; i++) {
      const base = pick(VALID);
      const chars = [...base];
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(random() * chars.length);
        const op = random();
        if (op < 0.4) chars.splice(at, 1);
        else if (op < 0.7) chars.splice(at, 0, pick(['(', ')', "'", '"', '[', ']', '<', '>', '.', ',', ' ', '?', '{', '}']));
        else chars.splice(at, 0, ` ${pick(TOKENS)} `);
      }
      const statement = chars.join('');
      const params = (statement.match(/\?/g) ?? []).length;
      if ((await send(statement, params > 0 ? Array.from({ length: params }, () => ({ S: 'p' })) : undefined)) === 200) ok++;
    }
    assert.ok(ok > 0);
    assert.equal(await send(VALID[0]!), 200);
  });
});
