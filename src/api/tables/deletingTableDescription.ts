/**
 * DeleteTable answers a shorter TableDescription than DescribeTable: the table's identity,
 * status, throughput and size, without key schema, attribute definitions, creation time or
 * index descriptions (DynamoDB's documented DeleteTable answer carries TableName,
 * TableStatus, ProvisionedThroughput, TableSizeBytes and ItemCount; it also names the
 * table by ARN and id, and states its billing mode).
 */
const DELETE_ANSWER_FIELDS = [
  'TableName', 'TableStatus', 'ProvisionedThroughput', 'TableSizeBytes', 'ItemCount', 'TableArn', 'TableId', 'BillingModeSummary',
] as const;

export function deletingTableDescription(full: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of DELETE_ANSWER_FIELDS) if (full[field] !== undefined) out[field] = full[field];
  return out;
}
