/** What the catalog stores about a table, and the key-schema view derived from it. */
import type { KeyPart, KeySchemaInfo } from '../values/keys.js';
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
  /** The key of the table's namespace (namespace.ts); absent in the shared default namespace. */
  namespace?: string;
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
  /** The resource-based policy (PutResourcePolicy): its JSON text and revision id. */
  resourcePolicy?: StoredPolicy;
  /** Backups of the table being taken (their numbers): its writes save what they overwrite. */
  snapshotCopies?: number[];
  /** Point-in-time recovery, while enabled: the window and the base snapshot's backup number. */
  pitr?: PitrMeta;
  /** Set on a table restored from a backup: DynamoDB's RestoreSummary. */
  restore?: RestoreMeta;
}

/** A resource-based policy as PutResourcePolicy stored it: its JSON text and revision id. */
export interface StoredPolicy {
  document: string;
  revisionId: string;
}

export interface PitrMeta {
  recoveryPeriodDays: number;
  baseNo: number;
}

export interface RestoreMeta {
  sourceBackupArn?: string;
  sourceTableArn: string;
  /** The moment restored (ms). */
  restoreDateTime: number;
  inProgress: boolean;
}

export type StreamViewType = 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';

export interface StreamMeta {
  /** DynamoDB's StreamLabel: the creation time in ISO 8601 without the zone. */
  label: string;
  viewType: StreamViewType;
  createdAt: number;
  disabledAt?: number;
  /** The stream's own resource-based policy (PutResourcePolicy on the stream's ARN). */
  resourcePolicy?: StoredPolicy;
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

/**
 * The key-schema view of a table or index. A GSI may name up to four HASH and four
 * RANGE attributes (a multi-attribute key); hashKey / rangeKey are then the first of each.
 */
export function keySchemaInfo(meta: Pick<TableMeta, 'keySchema' | 'attributeDefinitions'>): KeySchemaInfo {
  const part = (k: KeySchemaElement): KeyPart => ({
    name: k.AttributeName,
    type: meta.attributeDefinitions.find((d) => d.AttributeName === k.AttributeName)!.AttributeType,
  });
  const hashParts = meta.keySchema.filter((k) => k.KeyType === 'HASH').map(part);
  const rangeParts = meta.keySchema.filter((k) => k.KeyType === 'RANGE').map(part);
  const [hash] = hashParts;
  const [range] = rangeParts;
  const info: KeySchemaInfo = { hashKey: hash!.name, hashType: hash!.type };
  if (range !== undefined) {
    info.rangeKey = range.name;
    info.rangeType = range.type;
  }
  if (hashParts.length > 1 || rangeParts.length > 1) {
    info.hashParts = hashParts;
    info.rangeParts = rangeParts;
  }
  return info;
}
