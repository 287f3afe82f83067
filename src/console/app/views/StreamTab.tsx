/**
 * Tail a table's stream live through the DynamoDB Streams API: describe the stream,
 * take a LATEST iterator on each open shard and poll GetRecords, following shards
 * into their children when they close.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { itemToPlain, type Item } from '../attr.js';
import { call, isUnsupported } from '../client.js';
import type { TableDescription } from '../table.js';
import { ErrorMessage, Notice } from '../ui.js';

interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  dynamodb: { Keys?: Item; NewImage?: Item; OldImage?: Item; SequenceNumber?: string; ApproximateCreationDateTime?: number };
}

interface Shard {
  ShardId: string;
  ParentShardId?: string;
  SequenceNumberRange?: { EndingSequenceNumber?: string };
}

const POLL_MS = 1000;
const MAX_SHOWN = 200;

async function openShards(streamArn: string): Promise<Shard[]> {
  const shards: Shard[] = [];
  let start: string | undefined;
  do {
    const { StreamDescription } = await call<{ StreamDescription: { Shards: Shard[]; LastEvaluatedShardId?: string } }>(
      'DescribeStream', { StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }, 'streams');
    shards.push(...StreamDescription.Shards);
    start = StreamDescription.LastEvaluatedShardId;
  } while (start);
  return shards.filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined);
}

export function StreamTab({ table, refresh }: { table: TableDescription; refresh: () => Promise<TableDescription | undefined> }) {
  const [records, setRecords] = useState<StreamRecord[]>([]);
  const [tailing, setTailing] = useState(false);
  const [error, setError] = useState<unknown>();
  const [unsupported, setUnsupported] = useState(false);
  const stop = useRef<(() => void) | undefined>(undefined);
  useEffect(() => () => stop.current?.(), []);

  const start = async () => {
    setError(undefined);
    const streamArn = table.LatestStreamArn;
    if (!streamArn) return;
    let running = true;
    stop.current = () => { running = false; setTailing(false); };
    setTailing(true);
    const iterators = new Map<string, string>();
    const seen = new Set<string>();
    let firstRound = true;
    try {
      while (running) {
        for (const shard of await openShards(streamArn)) {
          if (seen.has(shard.ShardId)) continue;
          seen.add(shard.ShardId);
          // A shard opened after tailing began is read from its start, so no record falls between.
          const type = firstRound ? 'LATEST' : 'TRIM_HORIZON';
          const { ShardIterator } = await call('GetShardIterator', { StreamArn: streamArn, ShardId: shard.ShardId, ShardIteratorType: type }, 'streams');
          iterators.set(shard.ShardId, ShardIterator);
        }
        firstRound = false;
        for (const [shardId, iterator] of iterators) {
          const answer = await call<{ Records: StreamRecord[]; NextShardIterator?: string }>('GetRecords', { ShardIterator: iterator }, 'streams');
          if (answer.Records.length > 0) setRecords((shown) => [...answer.Records.reverse(), ...shown].slice(0, MAX_SHOWN));
          if (answer.NextShardIterator) iterators.set(shardId, answer.NextShardIterator);
          else iterators.delete(shardId);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    } catch (err) {
      if (isUnsupported(err)) setUnsupported(true);
      else setError(err);
      stop.current?.();
    }
  };
  const enable = async () => {
    try {
      await call('UpdateTable', { TableName: table.TableName, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
      await refresh();
    } catch (err) {
      setError(err);
    }
  };
  if (unsupported) return <Notice>This server does not serve the DynamoDB Streams API.</Notice>;
  if (!table.StreamSpecification?.StreamEnabled || !table.LatestStreamArn) {
    return (
      <div>
        <p>The stream of this table is off.</p>
        <button type="button" onClick={enable}>Enable stream (new and old images)</button>
        <ErrorMessage error={error} />
      </div>
    );
  }
  return (
    <div>
      <p>Stream {table.LatestStreamArn} ({table.StreamSpecification.StreamViewType})</p>
      {tailing ? <button type="button" onClick={() => stop.current?.()}>Stop tailing</button> : <button type="button" onClick={start}>Start tailing</button>}
      {tailing && <span role="status"> Tailing: new records appear below.</span>}
      <ErrorMessage error={error} />
      <div role="log" aria-label="Stream records">
      <ol class="records">
        {records.map((r) => (
          <li key={r.eventID}>
            <strong>{r.eventName}</strong> {JSON.stringify(itemToPlain(r.dynamodb.Keys ?? {}))}
            {r.dynamodb.NewImage && <> new: <code>{JSON.stringify(itemToPlain(r.dynamodb.NewImage))}</code></>}
            {r.dynamodb.OldImage && <> old: <code>{JSON.stringify(itemToPlain(r.dynamodb.OldImage))}</code></>}
          </li>
        ))}
      </ol>
      </div>
    </div>
  );
}
