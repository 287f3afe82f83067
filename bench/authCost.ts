/**
 * `node dist/bench/authCost.js`: the CPU one request spends in `--auth` — SigV4
 * verification and the authorization check against a ten-statement policy — for
 * GetItem and PutItem, measured in process (no HTTP) as CPU time per request.
 */
import type { IncomingMessage } from 'node:http';
import { authorize } from '../src/api/authorization/authorize.js';
import type { TableMeta } from '../src/engine/tableMeta.js';
import { verifySignature } from '../src/server/auth/sigv4.js';
import { parseUsers, UserDirectory } from '../src/server/auth/users.js';
import { BENCH_CREDENTIALS, signedHeaders } from './sigv4.js';

const ACCOUNT = '123456789012';
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table`;
const statements = [
  ...['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((t) => ({ Effect: 'Allow', Action: ['dynamodb:Query', 'dynamodb:Scan'], Resource: `${TABLE}/${t}*` })),
  { Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' },
  { Effect: 'Deny', Action: 'dynamodb:*', Resource: `${TABLE}/secret`, Condition: { StringEquals: { 'aws:username': 'bench' } } },
  { Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: `${TABLE}/items`, Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } },
];
const users = Object.assign(Object.create(UserDirectory.prototype) as UserDirectory, {
  users: parseUsers(JSON.stringify({ users: [{ ...BENCH_CREDENTIALS, account: ACCOUNT, name: 'bench', policies: [{ Statement: statements }] }] }), 'bench'),
});
const meta = { name: 'items', arn: `${TABLE}/items`, keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] } as unknown as TableMeta;
const scope = { region: 'us-east-1', account: ACCOUNT, tableMeta: (name: string) => (name === 'items' ? meta : undefined) };

const requests = {
  GetItem: { TableName: 'items', Key: { pk: { S: 'user-1' } } },
  PutItem: { TableName: 'items', Item: { pk: { S: 'user-1' }, name: { S: 'x' }, n: { N: '1' } } },
};

for (const [operation, input] of Object.entries(requests)) {
  const body = Buffer.from(JSON.stringify(input));
  const headers: Record<string, string> = { host: '127.0.0.1:8000' };
  Object.assign(headers, Object.fromEntries(Object.entries(signedHeaders('127.0.0.1:8000', `DynamoDB_20120810.${operation}`, body)).map(([k, v]) => [k.toLowerCase(), v])));
  const req = { method: 'POST', url: '/', headers, rawHeaders: Object.entries(headers).flat(), headersDistinct: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])) } as unknown as IncomingMessage;
  const now = Date.now();
  const verify = () => verifySignature(req, body, users, now);
  const { user, region } = verify();
  const caller = { arn: user.arn, account: user.account, name: user.name, userId: user.userId, region, policy: user.policy, sourceIp: '127.0.0.1', secureTransport: false };
  const check = () => authorize(caller, operation, input, scope, now);
  const verifyUs = perCall(verify);
  const checkUs = perCall(check);
  process.stdout.write(`${operation}: ${(verifyUs + checkUs).toFixed(2)} µs per request = SigV4 verification ${verifyUs.toFixed(2)} µs + ten-statement policy ${checkUs.toFixed(2)} µs\n`);
}

/** CPU time (not wall time: the machine may be shared) per call, in µs. */
function perCall(fn: () => unknown): number {
  for (let i = 0; i < 20_000; i++) fn();
  const rounds = 200_000;
  const started = process.cpuUsage();
  for (let i = 0; i < rounds; i++) fn();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / rounds;
}
