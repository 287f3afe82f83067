/** Finding values in request text (src/values/jsonText.ts) without parsing it again. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EVERY_ELEMENT, JsonText, type JsonPathStep } from '../src/values/jsonText.js';
import { seededRandom } from './seededRandom.js';

function find(text: string, path: JsonPathStep[]): (string | undefined)[] {
  const bytes = Buffer.from(text);
  return new JsonText(bytes).find(path).map((span) => (span === undefined ? undefined : bytes.toString('utf8', span.start, span.end)));
}

function members(text: string, path: JsonPathStep[]): number | undefined {
  return new JsonText(Buffer.from(text)).find(path)[0]?.members;
}

describe('JsonText', () => {
  it('finds a member value, whatever the whitespace around it', () => {
    assert.deepEqual(find('{"TableName":"t","Item":{"a":{"S":"x"}}}', ['Item']), ['{"a":{"S":"x"}}']);
    assert.deepEqual(find(' {\n\t"Item" : { "a" : { "S" : "x" } } ,\r\n"TableName": "t" } ', ['Item']), ['{ "a" : { "S" : "x" } }']);
    assert.deepEqual(find('{"a":1,"Item":-12.5e3}', ['Item']), ['-12.5e3']);
    assert.deepEqual(find('{"Item":true}', ['Item']), ['true']);
    assert.deepEqual(find('{"Item":null }', ['Item']), ['null']);
    assert.deepEqual(find('{"Item":[ ]}', ['Item']), ['[ ]']);
  });

  it('takes the last of duplicate names, as JSON.parse does', () => {
    assert.deepEqual(find('{"Item":{"a":1},"x":2,"Item":{"b":2}}', ['Item']), ['{"b":2}']);
  });

  it('answers undefined where the path leads nowhere', () => {
    assert.deepEqual(find('{"Items":{}}', ['Item']), [undefined]);
    assert.deepEqual(find('{}', ['Item']), [undefined]);
    assert.deepEqual(find('[{"Item":1}]', ['Item']), [undefined]);
    assert.deepEqual(find('{"Item":"text"}', ['Item', 'a']), [undefined]);
  });

  it('gives up on an escaped member name, which might be the one asked for', () => {
    assert.deepEqual(find('{"\\u0049tem":{"a":1},"Item":{"b":2}}', ['Item']), [undefined]);
    assert.deepEqual(find('{"Item":{"b":2},"x\\"y":1}', ['Item']), [undefined]);
  });

  it('skips strings holding quotes, backslashes and brackets, short and long', () => {
    for (const filler of ['', 'x'.repeat(47), 'x'.repeat(48), 'x'.repeat(200)]) {
      for (const tricky of ['\\"', '\\\\', '\\\\\\"', '{[}]', ':', ',\\"Item\\":1']) {
        const value = `{"s":"${filler}${tricky}${filler}${tricky}"}`;
        const text = `{"a":"${filler}${tricky}","Item":${value},"z":"${tricky}"}`;
        assert.deepEqual(find(text, ['Item']), [value], text);
        assert.deepEqual(JSON.parse(find(text, ['Item'])[0]!), JSON.parse(text).Item);
      }
    }
  });

  it('counts the object members inside a value at every depth, not colons in strings', () => {
    assert.equal(members('{"Item":{"a":{"S":"x:y"},"b":{"M":{"c":{"N":"1"}}},"l":{"L":[{"S":":"},{"BOOL":true}]}}}', ["Item"]), 10);
    assert.equal(members('{"Item":{}}', ['Item']), 0);
    assert.equal(members('{"Item":{"a":{"S":"x"},"a":{"S":"y"}}}', ['Item']), 4);
  });

  it('finds a value under every element of an array, one answer per element', () => {
    const text = '{"RequestItems":{"t":[{"PutRequest":{"Item":{"k":{"S":"1"}}}}, {"DeleteRequest":{"Key":{"k":{"S":"2"}}}} ,{"PutRequest":{"Item":{"k":{"S":"3"}}}}],"u":[]}}';
    const path: JsonPathStep[] = ['RequestItems', 't', EVERY_ELEMENT, 'PutRequest', 'Item'];
    assert.deepEqual(find(text, path), ['{"k":{"S":"1"}}', undefined, '{"k":{"S":"3"}}']);
    assert.deepEqual(find(text, ['RequestItems', 'u', EVERY_ELEMENT, 'PutRequest', 'Item']), []);
  });

  it('finds exactly what JSON.parse reads, in randomly shaped and spaced text', () => {
    const random = seededRandom(8);
    const pick = <T>(options: T[]): T => options[Math.floor(random() * options.length)]!;
    const space = () => pick(['', '', ' ', '\n  ', '\t']);
    const text = (depth: number): string => {
      const kind = depth > 3 ? pick(['s', 'n']) : pick(['s', 'n', 'o', 'a', 'b']);
      if (kind === 's') return JSON.stringify(pick(['', 'x', 'a"b', 'back\\slash', '{[:,]}', 'é€😀', 'y'.repeat(60) + '"' + 'z'.repeat(10)]));
      if (kind === 'n') return pick(['0', '-1.5', '2e10', 'true', 'false', 'null']);
      if (kind === 'b') return `[${space()}${Array.from({ length: Math.floor(random() * 3) }, () => text(depth + 1)).join(`${space()},${space()}`)}${space()}]`;
      const names = Array.from({ length: Math.floor(random() * 4) }, () => pick(['a', 'b', 'Item', 'c:d', 'e"f']));
      return `{${space()}${names.map((n) => `${JSON.stringify(n)}${space()}:${space()}${text(depth + 1)}`).join(`${space()},${space()}`)}${space()}}`;
    };
    for (let i = 0; i < 2000; i++) {
      const body = `{${space()}"TableName":${space()}"t",${space()}"Item"${space()}:${space()}${text(0)}${space()}}`;
      const [found] = find(body, ['Item']);
      assert.deepEqual(JSON.parse(found!), JSON.parse(body).Item, body);
    }
  });
});
