/**
 * Items stored as the JSON text the client sent (PutItem, BatchWriteItem): what a
 * read returns must be exactly the item as parsed — whatever the spacing, escapes,
 * duplicate names, numbers to normalise, stray members or bytes that are not UTF-8.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { gzipSync } from 'node:zlib';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { createTable, rawRequest, startTestServer, type TestContext } from './helpers.js';

describe('items stored from the request text', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
    await createTable(t.client, 'wire', ['id', 'S']);
  });
  after(() => t.close());

  async function put(body: string | Uint8Array, headers?: Record<string, string>): Promise<void> {
    const res = await rawRequest(t.server.url, 'PutItem', body, headers);
    assert.equal(res.status, 200, res.text);
  }

  /** GetItem over raw HTTP: the answer's text must be valid UTF-8 JSON holding exactly `expected`. */
  async function expectStored(id: string, expected: Record<string, unknown>): Promise<string> {
    const res = await rawRequest(t.server.url, 'GetItem', JSON.stringify({ TableName: 'wire', Key: { id: { S: id } } }));
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { Item: expected });
    const sdk = await t.client.send(new GetItemCommand({ TableName: 'wire', Key: { id: { S: id } } }));
    assert.deepEqual(sdk.Item, expected);
    return res.text;
  }

  it('keeps an item sent with any spacing', async () => {
    await put('{ "TableName" : "wire" ,\n  "Item" : {\n    "id" : { "S" : "spaced" },\n    "m" : { "M" : { "n" : { "N" : "1" } } },\n    "l" : { "L" : [ { "S" : "a" } , { "BOOL" : false } ] }\n  }\n}');
    await expectStored('spaced', { id: { S: 'spaced' }, m: { M: { n: { N: '1' } } }, l: { L: [{ S: 'a' }, { BOOL: false }] } });
  });

  it('keeps only the last of duplicate attribute names and datatype members', async () => {
    await put('{"TableName":"wire","Item":{"id":{"S":"dup"},"a":{"S":"first"},"a":{"S":"second"},"b":{"S":"one","S":"two"}}}');
    const text = await expectStored('dup', { id: { S: 'dup' }, a: { S: 'second' }, b: { S: 'two' } });
    assert.ok(!text.includes('first') && !text.includes('one'), text);
  });

  it('normalises numbers and drops null and unknown members', async () => {
    await put('{"TableName":"wire","Item":{"id":{"S":"canon"},"n":{"N":"+01.50"},"s":{"S":"x","N":null},"u":{"BOOL":true,"Extra":1},"ns":{"NS":["1.0","2"]}}}');
    await expectStored('canon', { id: { S: 'canon' }, n: { N: '1.5' }, s: { S: 'x' }, u: { BOOL: true }, ns: { NS: ['1', '2'] } });
  });

  it('keeps escapes as the strings they stand for', async () => {
    await put('{"TableName":"wire","Item":{"id":{"S":"esc"},"q":{"S":"say \\"hi\\"\\\\ \\u00e9\\ud83d\\ude00 \\/"},"\\u0061":{"S":"named by an escape"}}}');
    await expectStored('esc', { id: { S: 'esc' }, q: { S: 'say "hi"\\ é😀 /' }, a: { S: 'named by an escape' } });
  });

  it('refuses bytes that are not UTF-8 and stores nothing; answers are UTF-8', async () => {
    const head = Buffer.from('{"TableName":"wire","Item":{"id":{"S":"bytes"},"s":{"S":"a');
    const tail = Buffer.from('b"}}}');
    const refused = await rawRequest(t.server.url, 'PutItem', Buffer.concat([head, Buffer.from([0xff, 0xc3]), tail]));
    assert.equal(refused.status, 400);
    assert.equal(refused.json.__type, 'com.amazon.coral.service#SerializationException');
    const { Item } = await t.client.send(new GetItemCommand({ TableName: 'wire', Key: { id: { S: 'bytes' } } }));
    assert.equal(Item, undefined);
    // Non-ASCII text round-trips, and the answer's bytes themselves are UTF-8.
    await put(Buffer.concat([head, Buffer.from('é😀'), tail]));
    await expectStored('bytes', { id: { S: 'bytes' }, s: { S: 'aé😀b' } });
    const res = await fetch(t.server.url, {
      method: 'POST',
      headers: {
        'X-Amz-Target': 'DynamoDB_20120810.GetItem',
        'Content-Type': 'application/x-amz-json-1.0',
        Authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=abc',
        'X-Amz-Date': '20260101T000000Z',
      },
      body: JSON.stringify({ TableName: 'wire', Key: { id: { S: 'bytes' } } }),
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.equal(res.status, 200);
    assert.ok(isUtf8(bytes), Buffer.from(bytes).toString('latin1'));
  });

  it('keeps an attribute named __proto__ as an attribute', async () => {
    await put('{"TableName":"wire","Item":{"id":{"S":"proto"},"__proto__":{"S":"plain"}}}');
    const res = await rawRequest(t.server.url, 'GetItem', JSON.stringify({ TableName: 'wire', Key: { id: { S: 'proto' } } }));
    assert.equal(res.text, '{"Item":{"id":{"S":"proto"},"__proto__":{"S":"plain"}}}');
  });

  it('reads a gzip-compressed request as its text', async () => {
    await put(gzipSync('{"TableName":"wire","Item":{"id":{"S":"gzip"},"v":{"S":"zipped"}}}'), { 'Content-Encoding': 'gzip' });
    await expectStored('gzip', { id: { S: 'gzip' }, v: { S: 'zipped' } });
  });

  it('keeps the items of a BatchWriteItem, whatever the request looks like', async () => {
    const body = `{"RequestItems":{
      "wire":[{"PutRequest":{"Item":{"id":{"S":"ignored"}}}}],
      "wire" : [
        { "PutRequest" : { "Item" : { "id" : {"S":"b1"}, "v" : {"N":"007"} } } },
        {"DeleteRequest":{"Key":{"id":{"S":"spaced"}}}},
        {"PutRequest":{"\\u0049tem":{"id":{"S":"b2"},"v":{"S":"escaped member name"}}}},
        {"PutRequest":{"Item":{"id":{"S":"b3"},"v":{"S":"x"},"v":{"S":"last"}}}}
      ]}}`;
    const res = await rawRequest(t.server.url, 'BatchWriteItem', body);
    assert.equal(res.status, 200, res.text);
    await expectStored('b1', { id: { S: 'b1' }, v: { N: '7' } });
    await expectStored('b2', { id: { S: 'b2' }, v: { S: 'escaped member name' } });
    await expectStored('b3', { id: { S: 'b3' }, v: { S: 'last' } });
    const gone = await rawRequest(t.server.url, 'GetItem', JSON.stringify({ TableName: 'wire', Key: { id: { S: 'spaced' } } }));
    assert.deepEqual(gone.json, {});
    const ignored = await rawRequest(t.server.url, 'GetItem', JSON.stringify({ TableName: 'wire', Key: { id: { S: 'ignored' } } }));
    assert.deepEqual(ignored.json, {});
  });

  it('keeps the items of a TransactWriteItems, whatever the request looks like', async () => {
    const body = `{ "TransactItems" : [
        {"Update":{"TableName":"wire","Key":{"id":{"S":"t0"}},"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"S":"updated"}}}},
        { "Put" : { "TableName" : "wire", "Item" : { "id" : {"S":"t1"}, "v" : {"S":"spaced"} } } },
        {"Put":{"TableName":"wire","Item":{"id":{"S":"t2"},"v":{"N":"1"},"v":{"N":"2.0"}}}},
        {"Put":{"TableName":"wire","Item":{"id":{"S":"t3"},"v":{"SS":["a","b"]}},"ConditionExpression":"attribute_not_exists(id)"}}
      ] }`;
    const res = await rawRequest(t.server.url, 'TransactWriteItems', body);
    assert.equal(res.status, 200, res.text);
    await expectStored('t0', { id: { S: 't0' }, v: { S: 'updated' } });
    await expectStored('t1', { id: { S: 't1' }, v: { S: 'spaced' } });
    await expectStored('t2', { id: { S: 't2' }, v: { N: '2' } });
    await expectStored('t3', { id: { S: 't3' }, v: { SS: ['a', 'b'] } });
  });
});
