/**
 * The tools `openddb mcp` offers a coding agent: look at tables, read, seed and clean up
 * items, run PartiQL. Each is one DynamoDB call whose input is DynamoDB's own request
 * members (items and keys in DynamoDB JSON), so its errors are DynamoDB's.
 */
import { z } from 'zod';
import type { DynamoCall } from '../../testing/dynamoCall.js';

export interface McpTool {
  name: string;
  description: string;
  input: z.ZodRawShape;
  /** Whether the tool only reads (an agent may run it without asking). */
  readOnly: boolean;
  run(call: DynamoCall, input: Record<string, unknown>): Promise<unknown>;
}

/** Agents read one page: an unbounded Scan of a big table would flood their context. */
const DEFAULT_LIMIT = 100;

const attributeValues = z.record(z.string(), z.record(z.string(), z.unknown()));
const tableName = z.string().describe('The table name');
const key = attributeValues.describe('The primary key in DynamoDB JSON, e.g. {"id": {"S": "a"}}');
const item = attributeValues.describe('The item in DynamoDB JSON, e.g. {"id": {"S": "a"}, "count": {"N": "1"}}');
const expressionMembers = {
  ExpressionAttributeNames: z.record(z.string(), z.string()).optional().describe('e.g. {"#n": "name"}'),
  ExpressionAttributeValues: attributeValues.optional().describe('e.g. {":v": {"S": "x"}}'),
};
const readMembers = {
  IndexName: z.string().optional(),
  FilterExpression: z.string().optional(),
  ProjectionExpression: z.string().optional(),
  Limit: z.number().int().min(1).optional().describe(`Items to read at most (default ${DEFAULT_LIMIT})`),
  ExclusiveStartKey: attributeValues.optional().describe('LastEvaluatedKey of the previous page'),
  ConsistentRead: z.boolean().optional(),
  ...expressionMembers,
};

export const MCP_TOOLS: McpTool[] = [
  {
    name: 'list_tables',
    description: 'List the names of all tables.',
    input: {},
    readOnly: true,
    async run(call) {
      const names: string[] = [];
      let start: string | undefined;
      do {
        const page = await call('ListTables', start === undefined ? {} : { ExclusiveStartTableName: start });
        names.push(...(page.TableNames as string[]));
        start = page.LastEvaluatedTableName;
      } while (start !== undefined);
      return { TableNames: names };
    },
  },
  {
    name: 'describe_table',
    description: 'Describe a table: key schema, attribute definitions, indexes, item count, status.',
    input: { TableName: tableName },
    readOnly: true,
    run: (call, input) => call('DescribeTable', input),
  },
  {
    name: 'query',
    description: 'Query a table or index by key (KeyConditionExpression); one page of up to Limit items.',
    input: { TableName: tableName, KeyConditionExpression: z.string(), ScanIndexForward: z.boolean().optional(), ...readMembers },
    readOnly: true,
    run: (call, input) => call('Query', { Limit: DEFAULT_LIMIT, ...input }),
  },
  {
    name: 'scan',
    description: 'Scan a table or index; one page of up to Limit items.',
    input: { TableName: tableName, ...readMembers },
    readOnly: true,
    run: (call, input) => call('Scan', { Limit: DEFAULT_LIMIT, ...input }),
  },
  {
    name: 'get_item',
    description: 'Get one item by its primary key.',
    input: { TableName: tableName, Key: key, ConsistentRead: z.boolean().optional(), ProjectionExpression: z.string().optional(), ExpressionAttributeNames: expressionMembers.ExpressionAttributeNames },
    readOnly: true,
    run: (call, input) => call('GetItem', input),
  },
  {
    name: 'put_item',
    description: 'Create an item, or replace the item with the same primary key.',
    input: { TableName: tableName, Item: item, ConditionExpression: z.string().optional(), ...expressionMembers },
    readOnly: false,
    run: (call, input) => call('PutItem', input),
  },
  {
    name: 'delete_item',
    description: 'Delete an item by its primary key; answers with the deleted item.',
    input: { TableName: tableName, Key: key, ConditionExpression: z.string().optional(), ...expressionMembers },
    readOnly: false,
    run: (call, input) => call('DeleteItem', { ...input, ReturnValues: 'ALL_OLD' }),
  },
  {
    name: 'execute_statement',
    description: 'Run one PartiQL statement (SELECT, INSERT, UPDATE, DELETE), e.g. SELECT * FROM "orders" WHERE id = ?',
    input: {
      Statement: z.string(),
      Parameters: z.array(z.record(z.string(), z.unknown())).optional().describe('Values for the ? placeholders, in DynamoDB JSON'),
      Limit: z.number().int().min(1).optional(),
      NextToken: z.string().optional().describe('NextToken of the previous page'),
    },
    readOnly: false,
    run: (call, input) => call('ExecuteStatement', input),
  },
];
