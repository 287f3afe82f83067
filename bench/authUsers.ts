/**
 * The `--auth` target's users file: the benchmark's credentials with a ten-statement
 * policy (wildcards, conditions and denies) that allows every workload, so each request
 * pays for SigV4 verification and a realistic authorization check.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCH_CREDENTIALS } from './sigv4.js';

export const BENCH_ACCOUNT = '123456789012';
const TABLES = `arn:aws:dynamodb:*:${BENCH_ACCOUNT}:table`;

export const TEN_STATEMENTS = [
  { Sid: 'Reads', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'], Resource: `${TABLES}/bench_*`,
    Condition: { IpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } },
  { Sid: 'Writes', Effect: 'Allow', Action: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'], Resource: `${TABLES}/bench_*` },
  { Sid: 'Queries', Effect: 'Allow', Action: ['dynamodb:Query', 'dynamodb:Scan'], Resource: [`${TABLES}/bench_*`, `${TABLES}/bench_*/index/*`] },
  { Sid: 'Checks', Effect: 'Allow', Action: 'dynamodb:ConditionCheckItem', Resource: `${TABLES}/bench_*`,
    Condition: { StringEquals: { 'dynamodb:EnclosingOperation': 'TransactWriteItems' } } },
  { Sid: 'Tables', Effect: 'Allow', Action: ['dynamodb:CreateTable', 'dynamodb:DescribeTable', 'dynamodb:UpdateTable'], Resource: `${TABLES}/bench_*` },
  { Sid: 'Account', Effect: 'Allow', Action: ['dynamodb:ListTables', 'dynamodb:DescribeLimits'], Resource: '*' },
  { Sid: 'Streams', Effect: 'Allow', Action: ['dynamodb:DescribeStream', 'dynamodb:GetShardIterator', 'dynamodb:GetRecords'], Resource: `${TABLES}/bench_*/stream/*` },
  { Sid: 'NoDrops', Effect: 'Deny', Action: 'dynamodb:DeleteTable', Resource: '*' },
  { Sid: 'NoSecrets', Effect: 'Deny', Action: 'dynamodb:*', Resource: `${TABLES}/secret*`, Condition: { StringNotEquals: { 'aws:username': 'admin' } } },
  { Sid: 'NoOldImages', Effect: 'Deny', Action: ['dynamodb:PutItem', 'dynamodb:DeleteItem'], Resource: '*',
    Condition: { StringEquals: { 'dynamodb:ReturnValues': ['ALL_OLD', 'ALL_NEW'] } } },
];

let written: string | undefined;

/** The users file (written once per run). */
export function benchUsersFile(): string {
  if (written === undefined) {
    written = join(mkdtempSync(join(tmpdir(), 'openddb-bench-auth-')), 'users.json');
    writeFileSync(written, JSON.stringify({ users: [{
      accessKeyId: BENCH_CREDENTIALS.accessKeyId, secretAccessKey: BENCH_CREDENTIALS.secretAccessKey, account: BENCH_ACCOUNT, name: 'bench',
      policies: [{ Version: '2012-10-17', Statement: TEN_STATEMENTS }],
    }] }));
  }
  return written;
}
