/** The operation table: name -> handler, with model-driven input validation in front. */
import { serviceError } from '../errors.js';
import { validateInput } from './shapeValidation.js';
import type { ApiContext, Operation } from './context.js';
import { createTable } from './createTable.js';
import { deleteTable, describeEndpoints, describeLimits, describeTable, listTables } from './tableOps.js';
import { updateTable } from './updateTable.js';
import { listTagsOfResource, tagResource, untagResource } from './tags.js';
import { deleteItem, getItem, putItem, updateItem } from './itemOps.js';
import { query } from './query.js';
import { scan } from './scan.js';
import { batchGetItem } from './batchGetItem.js';
import { batchWriteItem } from './batchWriteItem.js';
import { transactGetItems } from './transactGetItems.js';
import { transactWriteItems } from './transactWriteItems.js';
import { executeStatement } from './partiql/executeStatement.js';
import { batchExecuteStatement } from './partiql/batchExecuteStatement.js';
import { executeTransaction } from './partiql/executeTransaction.js';

const operations: Record<string, Operation> = {
  CreateTable: createTable,
  DescribeTable: describeTable,
  ListTables: listTables,
  DeleteTable: deleteTable,
  UpdateTable: updateTable,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsOfResource: listTagsOfResource,
  DescribeEndpoints: describeEndpoints,
  DescribeLimits: describeLimits,
  PutItem: putItem,
  GetItem: getItem,
  DeleteItem: deleteItem,
  UpdateItem: updateItem,
  Query: query,
  Scan: scan,
  BatchGetItem: batchGetItem,
  BatchWriteItem: batchWriteItem,
  TransactGetItems: transactGetItems,
  TransactWriteItems: transactWriteItems,
  ExecuteStatement: executeStatement,
  BatchExecuteStatement: batchExecuteStatement,
  ExecuteTransaction: executeTransaction,
};

export function runOperation(ctx: ApiContext, name: string, input: Record<string, unknown>, text?: Buffer): Promise<string | Buffer> | string | Buffer {
  const operation = operations[name];
  // Operations of DynamoDB's API that this server does not serve yet are refused as unknown.
  if (operation === undefined) throw serviceError('UnknownOperationException', `Operation ${name} is not supported by this server yet`);
  validateInput(name, input);
  return operation(ctx, input, text);
}
