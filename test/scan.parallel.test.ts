/** Parallel Scan: Segment / TotalSegments split the table into disjoint slices that together hold every item. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ScanCommand as LowScan } from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';
import { allItems, putAll, scanPages } from './query.helpers.js';

const ITEMS = 10_000;
const PARTITIONS = 2_500; // four sort keys each

describe('parallel scan', () => {
  let t: TestContext;
  let fullOrder: string[];
  const id = (item: Record<string, { S?: string; N?: string }>) => `${item.pk!.S}/${item.sk!.N}`;

  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'many', ['pk', 'S'], ['sk', 'N']);
    await putAll(t, 'many', Array.from({ length: ITEMS }, (_, i) => ({
      pk: { S: `p${i % PARTITIONS}` }, sk: { N: String(Math.floor(i / PARTITIONS)) }, v: { N: String(i) },
    })), 128);
    fullOrder = allItems(await scanPages(t, { TableName: 'many' })).map(id);
  });
  after(() => t.close());

  it('scans partitions whole, each in sort-key order', () => {
    assert.equal(fullOrder.length, ITEMS);
    assert.equal(new Set(fullOrder).size, ITEMS);
    const seen = new Set<string>();
    let current = '';
    let lastSk = -1;
    for (const key of fullOrder) {
      const [pk, sk] = key.split('/') as [string, string];
      if (pk !== current) {
        assert.ok(!seen.has(pk), `partition ${pk} is not contiguous`);
        seen.add(pk);
        current = pk;
        lastSk = -1;
      }
      assert.ok(Number(sk) > lastSk, `sort keys of ${pk} out of order`);
      lastSk = Number(sk);
    }
    assert.equal(seen.size, PARTITIONS);
    // Hash order, not key order.
    assert.notDeepEqual([...seen], [...seen].sort());
  });

  for (const total of [1, 3, 7, 1000]) {
    it(`splits into ${total} disjoint segments that together are the whole table`, async () => {
      const segments = await Promise.all(Array.from({ length: total }, async (_, segment) =>
        allItems(await scanPages(t, { TableName: 'many', Segment: segment, TotalSegments: total, Limit: total === 1000 ? undefined : 700 })).map(id)));
      // Concatenated in segment order, they are exactly the full scan: disjoint, complete, same order.
      assert.deepEqual(segments.flat(), fullOrder);
      if (total > 1) assert.ok(segments.every((s) => s.length < ITEMS));
      if (total === 7) assert.ok(segments.every((s) => s.length > ITEMS / 14), 'segments are roughly even');
    });
  }

  it('works with the maximum number of segments', async () => {
    const last = await t.client.send(new LowScan({ TableName: 'many', Segment: 999_999, TotalSegments: 1_000_000 }));
    const first = await t.client.send(new LowScan({ TableName: 'many', Segment: 0, TotalSegments: 1_000_000 }));
    assert.ok(last.Count! + first.Count! < 10);
    assert.equal(last.LastEvaluatedKey, undefined);
  });

  it('continues a segment from its own LastEvaluatedKey with the DocumentClient', async () => {
    const seen: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await t.doc.send(new ScanCommand({ TableName: 'many', Segment: 2, TotalSegments: 3, Limit: 500, ExclusiveStartKey: start }));
      seen.push(...page.Items!.map((i) => `${i.pk}/${i.sk}`));
      start = page.LastEvaluatedKey;
    } while (start);
    const segment = allItems(await scanPages(t, { TableName: 'many', Segment: 2, TotalSegments: 3 })).map(id);
    assert.deepEqual(seen, segment);
  });

  it('refuses a start key outside the segment', async () => {
    const segment1 = await t.client.send(new LowScan({ TableName: 'many', Segment: 1, TotalSegments: 3, Limit: 1 }));
    const key = segment1.LastEvaluatedKey!;
    await expectError(t.client.send(new LowScan({ TableName: 'many', Segment: 0, TotalSegments: 3, ExclusiveStartKey: key })), 'ValidationException',
      'The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: 3 Segment: 0');
    const next = await t.client.send(new LowScan({ TableName: 'many', Segment: 1, TotalSegments: 3, ExclusiveStartKey: key, Limit: 1 }));
    assert.equal(next.Count, 1);
    // Without segments, any key of the table is a valid start.
    const plain = await t.client.send(new LowScan({ TableName: 'many', ExclusiveStartKey: key, Limit: 1 }));
    assert.equal(plain.Count, 1);
  });

  it('validates Segment and TotalSegments', async () => {
    const scan = (input: Record<string, unknown>) => t.client.send(new LowScan({ TableName: 'many', ...input }));
    await expectError(scan({ Segment: 0 }), 'ValidationException',
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
    await expectError(scan({ TotalSegments: 4 }), 'ValidationException',
      'The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
    await expectError(scan({ Segment: 4, TotalSegments: 4 }), 'ValidationException',
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4');
    await expectError(scan({ Segment: 0, TotalSegments: 1_000_001 }), 'ValidationException',
      "1 validation error detected: Value at 'TotalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000");
    await expectError(scan({ Segment: -1, TotalSegments: 2 }), 'ValidationException',
      "1 validation error detected: Value at 'Segment' failed to satisfy constraint: Member must have value greater than or equal to 0");
    await expectError(scan({ Segment: 0, TotalSegments: 0 }), 'ValidationException',
      "1 validation error detected: Value at 'TotalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });
});
