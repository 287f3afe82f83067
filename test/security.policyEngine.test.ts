import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileCondition } from '../src/api/authorization/conditions.js';
import { compileIdentityPolicies, compileResourcePolicy, evaluate } from '../src/api/authorization/policy.js';
import { accessChecks, type ResourceScope } from '../src/api/authorization/requestChecks.js';

const values = (entries: Record<string, string | string[]>) => new Map(Object.entries(entries).map(([k, v]) => [k.toLowerCase(), v]));
const holds = (operator: string, key: string, policyValues: string[], request: Record<string, string | string[]>) =>
  compileCondition(operator, key, policyValues)(values(request));

describe('condition operators', () => {
  it('String operators, IgnoreCase and Like', () => {
    assert.equal(holds('StringEquals', 'k', ['a', 'b'], { k: 'b' }), true);
    assert.equal(holds('StringEquals', 'k', ['a'], { k: 'A' }), false);
    assert.equal(holds('StringEqualsIgnoreCase', 'k', ['a'], { k: 'A' }), true);
    assert.equal(holds('StringNotEqualsIgnoreCase', 'k', ['a'], { k: 'A' }), false);
    assert.equal(holds('StringLike', 'k', ['user-*-x?'], { k: 'user-42-xy' }), true);
    assert.equal(holds('StringNotLike', 'k', ['user-*'], { k: 'admin' }), true);
  });

  it('a missing key: positive operators fail, negated ones and IfExists hold', () => {
    assert.equal(holds('StringEquals', 'k', ['a'], {}), false);
    assert.equal(holds('StringNotEquals', 'k', ['a'], {}), true);
    assert.equal(holds('StringEqualsIfExists', 'k', ['a'], {}), true);
    assert.equal(holds('StringEqualsIfExists', 'k', ['a'], { k: 'b' }), false);
  });

  it('ForAllValues and ForAnyValue over multi-valued keys', () => {
    assert.equal(holds('ForAllValues:StringEquals', 'k', ['a', 'b'], { k: ['a', 'b'] }), true);
    assert.equal(holds('ForAllValues:StringEquals', 'k', ['a'], { k: ['a', 'c'] }), false);
    assert.equal(holds('ForAllValues:StringEquals', 'k', ['a'], {}), true);
    assert.equal(holds('ForAnyValue:StringEquals', 'k', ['a'], { k: ['c', 'a'] }), true);
    assert.equal(holds('ForAnyValue:StringEquals', 'k', ['a'], {}), false);
    assert.equal(holds('ForAnyValue:StringNotEquals', 'k', ['a'], { k: ['a', 'b'] }), true);
  });

  it('Numeric, Date, Bool, IpAddress and Null', () => {
    assert.equal(holds('NumericLessThan', 'k', ['10'], { k: '9.5' }), true);
    assert.equal(holds('NumericGreaterThanEquals', 'k', ['10'], { k: 'x' }), false);
    assert.equal(holds('DateGreaterThan', 'k', ['2026-01-01T00:00:00Z'], { k: '2026-06-01T00:00:00Z' }), true);
    assert.equal(holds('DateLessThan', 'k', ['1700000000'], { k: '2026-06-01T00:00:00Z' }), false);
    assert.equal(holds('Bool', 'k', ['true'], { k: 'true' }), true);
    assert.equal(holds('IpAddress', 'k', ['10.0.0.0/8'], { k: '10.1.2.3' }), true);
    assert.equal(holds('IpAddress', 'k', ['10.0.0.0/8'], { k: '::ffff:10.1.2.3' }), true);
    assert.equal(holds('NotIpAddress', 'k', ['10.0.0.0/8', '2001:db8::/32'], { k: '2001:db8::1' }), false);
    assert.equal(holds('Null', 'k', ['true'], {}), true);
    assert.equal(holds('Null', 'k', ['false'], { k: 'x' }), true);
  });

  it('refuses unknown operators and bad values when compiling', () => {
    assert.throws(() => compileCondition('StringSortOf', 'k', ['a']), /Unsupported condition operator: StringSortOf/);
    assert.throws(() => compileCondition('NumericEquals', 'k', ['ten']), /Invalid number/);
    assert.throws(() => compileCondition('IpAddress', 'k', ['300.1.1.1/8']), /Invalid IP address/);
  });
});

describe('policies', () => {
  const request = (action: string, resource: string, extra: Record<string, string> = {}) =>
    ({ action, resource, principalArn: 'arn:aws:iam::111111111111:user/alice', principalAccount: '111111111111', values: values(extra) });

  it('substitutes ${aws:username}; actions match case-insensitively, resources exactly', () => {
    const policy = compileIdentityPolicies([{ Statement: { Effect: 'Allow', Action: 'DynamoDB:get*', Resource: 'arn:aws:dynamodb:*:*:table/${aws:username}-*' } }],
      { username: 'alice', userid: 'AIDA1', account: '111111111111' });
    assert.equal(evaluate(policy, request('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:111111111111:table/alice-notes')), 'allow');
    assert.equal(evaluate(policy, request('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:111111111111:table/Alice-notes')), 'none');
    assert.equal(evaluate(policy, request('dynamodb:PutItem', 'arn:aws:dynamodb:us-east-1:111111111111:table/alice-notes')), 'none');
  });

  it('${*} and ${?} stand for literal characters', () => {
    const vars = { username: 'alice', userid: 'AIDA1', account: '111111111111' };
    const policy = compileIdentityPolicies([{ Statement: { Effect: 'Allow', Action: '*', Resource: 'arn:aws:dynamodb:*:*:table/a${*}b${?}',
      Condition: { StringEquals: { 'aws:username': 'al${*}' } } } }], vars);
    const at = (resource: string, username: string) => evaluate(policy, { ...request('dynamodb:GetItem', resource), values: values({ 'aws:username': username }) });
    assert.equal(at('arn:aws:dynamodb:us-east-1:1:table/a*b?', 'al*'), 'allow');
    assert.equal(at('arn:aws:dynamodb:us-east-1:1:table/axxbc', 'al*'), 'none');
    assert.equal(at('arn:aws:dynamodb:us-east-1:1:table/a*b?', 'alice'), 'none');
  });

  it('resource policies match principals by account, account root or ARN', () => {
    const policy = compileResourcePolicy(JSON.stringify({ Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'dynamodb:GetItem', Resource: '*' },
      { Effect: 'Deny', Principal: { AWS: ['arn:aws:iam::111111111111:user/alice'] }, Action: 'dynamodb:PutItem' },
    ] }));
    assert.equal(evaluate(policy, request('dynamodb:GetItem', 'arn:x')), 'allow');
    assert.equal(evaluate(policy, request('dynamodb:PutItem', 'arn:x')), 'deny');
    assert.equal(evaluate(policy, { ...request('dynamodb:GetItem', 'arn:x'), principalArn: 'arn:aws:iam::222222222222:user/z', principalAccount: '222222222222' }), 'none');
  });

  it('rejects malformed documents', () => {
    const vars = { username: 'a', userid: 'a', account: '111111111111' };
    assert.throws(() => compileIdentityPolicies([{ Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] }], vars), /Effect must be/);
    assert.throws(() => compileIdentityPolicies([{ Statement: [{ Effect: 'Allow', Action: '*', NotAction: 'x', Resource: '*' }] }], vars), /both Action and NotAction/);
    assert.throws(() => compileIdentityPolicies([{ Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }], vars), /cannot name a Principal/);
  });
});

describe('the actions each operation needs', () => {
  const scope: ResourceScope = { region: 'eu-west-1', account: '111111111111', tableMeta: () => undefined };
  const table = (name: string) => `arn:aws:dynamodb:eu-west-1:111111111111:table/${name}`;
  const checks = (operation: string, input: object) => accessChecks(operation, input as Record<string, unknown>, scope).map((c) => `${c.action} ${c.resource}`);

  it('transactions check each action, with dynamodb:EnclosingOperation', () => {
    const found = accessChecks('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'a', Item: {} } }, { Update: { TableName: 'b', Key: {}, UpdateExpression: 'SET x = :x' } },
      { Delete: { TableName: 'a', Key: {} } }, { ConditionCheck: { TableName: 'c', Key: {} } }] }, scope);
    assert.deepEqual(found.map((c) => `${c.action} ${c.resource}`), [`dynamodb:PutItem ${table('a')}`, `dynamodb:UpdateItem ${table('b')}`, `dynamodb:DeleteItem ${table('a')}`, `dynamodb:ConditionCheckItem ${table('c')}`]);
    assert.ok(found.every((c) => c.keys().get('dynamodb:enclosingoperation') === 'TransactWriteItems'));
  });

  it('PartiQL statements check PartiQLSelect / Insert / Update / Delete on their table', () => {
    assert.deepEqual(checks('ExecuteStatement', { Statement: 'SELECT * FROM "Music"."byArtist" WHERE a = 1' }), [`dynamodb:PartiQLSelect ${table('Music')}/index/byArtist`]);
    assert.deepEqual(checks('BatchExecuteStatement', { Statements: [{ Statement: "INSERT INTO Music VALUE {'a': 1}" }, { Statement: 'update "Music" SET x = 1 WHERE a = 1' }] }),
      [`dynamodb:PartiQLInsert ${table('Music')}`, `dynamodb:PartiQLUpdate ${table('Music')}`]);
    assert.deepEqual(checks('ExecuteTransaction', { TransactStatements: [{ Statement: 'DELETE FROM "a""b" WHERE k = 1' }] }), [`dynamodb:PartiQLDelete ${table('a"b')}`]);
  });

  it('PartiQL statements carry dynamodb:LeadingKeys from their key equalities and INSERT values', () => {
    const meta = { name: 'docs', arn: table('docs'), keySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }] };
    const keyed: ResourceScope = { ...scope, tableMeta: (name) => (name === 'docs' ? meta as never : undefined) };
    const leading = (input: object) => accessChecks('ExecuteStatement', input as Record<string, unknown>, keyed)[0]!.keys().get('dynamodb:leadingkeys');
    assert.deepEqual(leading({ Statement: `SELECT * FROM docs WHERE "owner" = 'alice' AND id = '1'` }), ['alice']);
    assert.deepEqual(leading({ Statement: `SELECT * FROM "docs" WHERE id = ? AND owner = ?`, Parameters: [{ S: '1' }, { S: 'bob' }] }), ['bob']);
    assert.deepEqual(leading({ Statement: `UPDATE docs SET x = 'owner = ?' WHERE owner = ?`, Parameters: [{ S: 'carol' }] }), ['carol']);
    assert.deepEqual(leading({ Statement: `INSERT INTO docs VALUE {'owner': 'dave', 'id': ?}`, Parameters: [{ S: '1' }] }), ['dave']);
    assert.equal(leading({ Statement: `SELECT * FROM docs` }), undefined);
    // A form this reading does not follow never satisfies a LeadingKeys condition.
    const unread = leading({ Statement: `SELECT * FROM docs WHERE owner IN ['alice', 'bob']` }) as string[];
    assert.equal(unread.length, 1);
    assert.notEqual(unread[0], 'alice');
  });

  it('streams, tags, backups and table-less operations', () => {
    const stream = `${table('a')}/stream/2026-01-01T00:00:00.000`;
    assert.deepEqual(checks('DescribeStream', { StreamArn: stream }), [`dynamodb:DescribeStream ${stream}`]);
    assert.deepEqual(checks('GetShardIterator', { StreamArn: stream, ShardId: 's' }), [`dynamodb:GetShardIterator ${stream}`]);
    assert.deepEqual(checks('GetRecords', { ShardIterator: `${stream}|shard|1` }), [`dynamodb:GetRecords ${stream}`]);
    assert.deepEqual(checks('ListStreams', {}), ['dynamodb:ListStreams *']);
    assert.deepEqual(checks('TagResource', { ResourceArn: table('t'), Tags: [] }), [`dynamodb:TagResource ${table('t')}`]);
    assert.deepEqual(checks('CreateBackup', { TableName: 't', BackupName: 'b' }), [`dynamodb:CreateBackup ${table('t')}`]);
    assert.deepEqual(checks('ListTables', {}), ['dynamodb:ListTables *']);
    assert.deepEqual(checks('GetItem', { TableName: 'arn:aws:dynamodb:us-east-1:222222222222:table/x', Key: {} }), ['dynamodb:GetItem arn:aws:dynamodb:us-east-1:222222222222:table/x']);
  });
});
