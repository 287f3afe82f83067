/** What the catalog stores about a table, and the key-schema view derived from it. */
import type { KeySchemaInfo } from '../values/keys.js';
import type { ScalarKeyType } from '../values/types.js';

export type TableStatus = 'CREATING' | 'ACTIVE' | 'UPDATING' | 'DELETING';
export type BillingMode = 'PROVISIONED' | 'PAY_PER_REQUEST';

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

export interface AttributeDefinition {
  AttributeName: string;
  AttributeType: ScalarKeyType;
}

export interface Tag {
  Key: string;
  Value: string;
}

export interface ProvisionedState {
  read: number;
  write: number;
  lastIncrease?: number;
  lastDecrease?: number;
  decreasesToday: number;
}

export interface TableMeta {
  /** Internal numeric id: the table's key prefix. Never reused. */
  id: number;
  name: string;
  /** The public TableId (a UUID). */
  tableId: string;
  arn: string;
  createdAt: number;
  status: TableStatus;
  /** When a transient status (CREATING/UPDATING) ends; 0 = already settled. */
  settlesAt: number;
  keySchema: KeySchemaElement[];
  attributeDefinitions: AttributeDefinition[];
  billingMode: BillingMode;
  billingModeChangedAt?: number;
  /** When the table was switched from PROVISIONED to PAY_PER_REQUEST (the last 24 hours' worth). */
  onDemandSwitches?: number[];
  provisioned: ProvisionedState;
  onDemand?: { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number };
  tableClass: 'STANDARD' | 'STANDARD_INFREQUENT_ACCESS';
  deletionProtection: boolean;
  sse?: { enabled: boolean; type?: string; kmsKeyArn?: string };
  tags: Tag[];
  /** Secondary indexes (GSIs and LSIs), in creation order. */
  indexes?: IndexMeta[];
  /** The next index number to hand out (1..255); numbers are never reused within a table. */
  nextIndexNo?: number;
  /** The table's streams, oldest first; the last one is enabled unless it has `disabledAt`. */
  streams?: StreamMeta[];
  /** Time to Live: the attribute and whether expired items are deleted. */
  ttl?: TtlMeta;
}

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

export interface StreamMeta {
  /** DynamoDB's StreamLabel: the creation time in ISO 8601 without the zone. */
  label: string;
  viewType: StreamViewType;
  createdAt: number;
  disabledAt?: number;
}

export interface TtlMeta {
  attributeName: string;
  enabled: boolean;
  /** When TTL was last enabled or disabled (a second change within an hour is refused). */
  changedAt: number;
}

/** The table's enabled stream, if any. */
export function enabledStream(meta: Pick<TableMeta, 'streams'>): StreamMeta | undefined {
  const last = meta.streams?.at(-1);
  return last !== undefined && last.disabledAt === undefined ? last : undefined;
}

export type IndexKind = 'GSI' | 'LSI';
export type IndexStatus = 'CREATING' | 'UPDATING' | 'DELETING' | 'ACTIVE';

export interface IndexProjection {
  ProjectionType: 'ALL' | 'KEYS_ONLY' | 'INCLUDE';
  NonKeyAttributes?: string[];
}

export interface IndexMeta {
  name: string;
  /** The index's key-space number (see keyspace.ts); 0 is the base table. */
  no: number;
  kind: IndexKind;
  keySchema: KeySchemaElement[];
  projection: IndexProjection;
  status: IndexStatus;
  /** True while a GSI added to a live table is being filled from existing items. */
  backfilling?: boolean;
  /** A GSI's own throughput (PROVISIONED tables). */
  provisioned?: ProvisionedState;
  onDemand?: { MaxReadRequestUnits?: number; MaxWriteRequestUnits?: number };
}

export function keySchemaInfo(meta: Pick<TableMeta, 'keySchema' | 'attributeDefinitions'>): KeySchemaInfo {
  const typeOf = (name: string) => meta.attributeDefinitions.find((d) => d.AttributeName === name)!.AttributeType;
  const hash = meta.keySchema.find((k) => k.KeyType === 'HASH')!.AttributeName;
  const range = meta.keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  return range === undefined
    ? { hashKey: hash, hashType: typeOf(hash) }
    : { hashKey: hash, hashType: typeOf(hash), rangeKey: range, rangeType: typeOf(range) };
}
