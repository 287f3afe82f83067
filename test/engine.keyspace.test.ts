/**
 * The stored key layout, byte for byte: keys written by earlier versions must still be
 * found, so building a key faster must not change a byte of it. The expected bytes are
 * what the layout (the map at the top of engine/keyspace.ts) produced before keys were
 * built in one allocation.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { itemKey, statsKey, statsShardKey, statsShardPrefix, storageKey } from '../src/engine/keyspace.js';
import { baseTableView } from '../src/engine/keyView.js';
import { queryBounds } from '../src/engine/reads.js';
import type { KeySchemaInfo } from '../src/values/keys.js';

const hex = (key: Buffer) => key.toString('hex');
const hashOnly: KeySchemaInfo = { hashKey: 'id', hashType: 'S' };
const ranged: KeySchemaInfo = { hashKey: 'pk', hashType: 'S', rangeKey: 'sk', rangeType: 'N' };

describe('the key layout', () => {
  it('of an item: tag | table id | index no | partition hash | form | partition key | sort key', () => {
    assert.equal(hex(itemKey(7, hashOnly, { id: { S: 'user#1' } })), '1000000007003896dda8017573657223310001');
    assert.equal(hex(itemKey(7, ranged, { pk: { S: 'p' }, sk: { N: '42' } })), '10000000070023672e080170000103832b00');
  });

  it('of an item whose partition key is long: the key hashed, behind its own form byte', () => {
    const key = itemKey(7, hashOnly, { id: { S: 'x'.repeat(1100) } });
    assert.equal(hex(key), '1000000007009dbdd44a02961be038c588b97eae37676ea79079ff917dd5a32dd6664702f825a445d45845');
  });

  it('of an index entry: the index key, then the table key as a compact part', () => {
    const key = storageKey(7, 2, { hashKey: 'g', hashType: 'S' }, { g: { S: 'v' } }, [{ S: 'p' }, { N: '1' }]);
    assert.equal(hex(key), '1000000007022bebc4e0017600010170000103820b00');
  });

  it('of a Query range, and of the statistics shards', () => {
    const bounds = queryBounds(baseTableView(7, ranged), [{ S: 'p' }], [], { op: 'BETWEEN', values: [{ N: '1' }, { N: '9' }] });
    assert.deepEqual({ gte: hex(bounds.gte!), lt: hex(bounds.lt!) }, {
      gte: '10000000070023672e080170000103820b00',
      lt: '10000000070023672e080170000103825b01',
    });
    assert.equal(hex(statsShardPrefix(statsKey(7))), '0300000007ffff');
    assert.equal(hex(statsShardKey(statsKey(7), 5)), '0300000007ffff05');
    assert.deepEqual(statsShardKey(statsKey(7), 5).subarray(0, 7), statsShardPrefix(statsKey(7)));
  });
});
