/** The operation table: name -> handler, with model-driven input validation in front. */
import { serviceError } from '../errors.js';
import { validateInput } from './shapeValidation.js';
import type { ApiContext, Operation } from './context.js';
import { createTable } from './tables/createTable.js';
import { describeTable } from './tables/describeTable.js';
import { listTables } from './tables/listTables.js';
import { deleteTable } from './tables/deleteTable.js';
import { updateTable } from './tables/updateTable.js';
import { tagResource } from './tables/tagResource.js';
import { untagResource } from './tables/untagResource.js';
import { listTagsOfResource } from './tables/listTagsOfResource.js';
import { describeEndpoints } from './tables/describeEndpoints.js';
import { describeLimits } from './tables/describeLimits.js';
import { putItem } from './items/putItem.js';
import { getItem } from './items/getItem.js';
import { deleteItem } from './items/deleteItem.js';
import { updateItem } from './items/updateItem.js';
import { query } from './queries/query.js';
import { scan } from './queries/scan.js';
import { batchGetItem } from './batch/batchGetItem.js';
import { batchWriteItem } from './batch/batchWriteItem.js';
import { transactGetItems } from './transactions/transactGetItems.js';
import { transactWriteItems } from './transactions/transactWriteItems.js';

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
};

export function runOperation(ctx: ApiContext, name: string, input: Record<string, unknown>, text?: Buffer): Promise<string | Buffer> | string | Buffer {
  const operation = operations[name];
  // Operations of DynamoDB's API that this server does not serve yet are refused as unknown.
  if (operation === undefined) throw serviceError('UnknownOperationException', `Operation ${name} is not supported by this server yet`);
  validateInput(name, input);
  return operation(ctx, input, text);
}
