/**
 * DynamoDB-Toolbox (v2) works against OpenDDB unchanged: a single-table design (pk/sk plus
 * one GSI) with two entities, through the v3 DocumentClient. Its put, get, query (sort-key
 * conditions, GSI, several entities at once), update extensions ($add, $subtract, $sum,
 * $get, $append, $prepend, $remove), conditional writes that fail (with and without the old
 * item), delete, batch write/get, transactions (written, canceled, read), paging with
 * paginate() and maxPages, and a filtered scan come back with the values DynamoDB would give.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  $add, $append, $get, $prepend, $remove, $subtract, $sum,
  BatchDeleteRequest, BatchGetCommand, BatchGetRequest, BatchPutRequest, BatchWriteCommand,
  ConditionCheck, DeleteItemCommand, DeleteTransaction, Entity, GetItemCommand, GetTransaction,
  PutItemCommand, PutTransaction, QueryCommand, ScanCommand, Table, UpdateItemCommand, UpdateTransaction,
  executeBatchGet, executeBatchWrite, executeTransactGet, executeTransactWrite,
  isConditionCheckFailed, isTransactionCancelled, item, list, number, string,
} from 'dynamodb-toolbox';
import { createSingleTable, expectError, startTestServer, type TestContext } from './helpers.js';

const TABLE = 'toolbox_library';

const table = new Table({
  name: TABLE,
  partitionKey: { name: 'pk', type: 'string' },
  sortKey: { name: 'sk', type: 'string' },
  indexes: {
    gsi1: { type: 'global', partitionKey: { name: 'gsi1pk', type: 'string' }, sortKey: { name: 'gsi1sk', type: 'string' } },
  },
});

const authorSchema = item({
  authorId: string().key(),
  name: string(),
  country: string(),
  born: number(),
  bookCount: number().default(0),
});
const Author = new Entity({
  name: 'Author',
  table,
  timestamps: false,
  schema: authorSchema.and((prev) => ({
    gsi1pk: string().hidden().link<typeof prev>(({ country }) => `COUNTRY#${country}`),
    gsi1sk: string().hidden().link<typeof prev>(({ name }) => name),
  })),
  computeKey: ({ authorId }) => ({ pk: `AUTHOR#${authorId}`, sk: 'PROFILE' }),
});

const bookSchema = item({
  authorId: string().key(),
  bookId: string().key(),
  title: string(),
  genre: string(),
  year: number(),
  copies: number().default(1),
  tags: list(string()).default(() => []),
  notes: string().optional(),
  rating: number().optional(),
});
const Book = new Entity({
  name: 'Book',
  table,
  schema: bookSchema.and((prev) => ({
    gsi1pk: string().hidden().link<typeof prev>(({ genre }) => `GENRE#${genre}`),
    gsi1sk: string().hidden().link<typeof prev>(({ year, bookId }) => `${year}#${bookId}`),
  })),
  computeKey: ({ authorId, bookId }) => ({ pk: `AUTHOR#${authorId}`, sk: `BOOK#${bookId}` }),
});

/** Books b01..b12 of author a1: published 1967..1978, odd ones sf, even ones fantasy. */
const a1Books = Array.from({ length: 12 }, (_, i) => {
  const n = i + 1;
  const id = `b${String(n).padStart(2, '0')}`;
  return { authorId: 'a1', bookId: id, title: `Title ${n}`, genre: n % 2 === 1 ? 'sf' : 'fantasy', year: 1966 + n, copies: n, tags: [`t${n}`] };
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Drops the toolbox timestamps (after checking they are ISO dates) so items compare exactly. */
function withoutTimestamps<T extends { created?: unknown; modified?: unknown }>(book: T | undefined): Omit<T, 'created' | 'modified'> | undefined {
  if (book === undefined) return undefined;
  const { created, modified, ...rest } = book;
  assert.match(String(created), ISO);
  assert.match(String(modified), ISO);
  return rest;
}


describe('dynamodb-toolbox against OpenDDB', () => {
  let t: TestContext;

  before(async () => {
    t = await startTestServer();
    await createSingleTable(t.client, TABLE);
    table.documentClient = t.doc;

    for (const author of [
      { authorId: 'a1', name: 'Ursula', country: 'US', born: 1929 },
      { authorId: 'a2', name: 'Stanislaw', country: 'PL', born: 1921 },
      { authorId: 'a3', name: 'Olga', country: 'PL', born: 1962 },
    ]) {
      await Author.build(PutItemCommand).item(author).send();
    }
    await Promise.all(a1Books.map((book) => Book.build(PutItemCommand).item(book).send()));
  });
  after(() => t.close());

  it('puts and gets items, saving the computed keys and entity attribute', async () => {
    const { Item } = await Author.build(GetItemCommand).key({ authorId: 'a2' }).send();
    assert.deepEqual(Item, { authorId: 'a2', name: 'Stanislaw', country: 'PL', born: 1921, bookCount: 0 });

    const book = await Book.build(GetItemCommand).key({ authorId: 'a1', bookId: 'b03' }).send();
    assert.deepEqual(withoutTimestamps(book.Item), a1Books[2]);

    const raw = await t.doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'AUTHOR#a1', sk: 'BOOK#b03' } }));
    assert.equal(raw.Item?._et, 'Book');
    assert.equal(raw.Item?.gsi1pk, 'GENRE#sf');
    assert.equal(raw.Item?.gsi1sk, '1969#b03');
    assert.match(String(raw.Item?._ct), ISO);

    const missing = await Author.build(GetItemCommand).key({ authorId: 'nobody' }).send();
    assert.equal(missing.Item, undefined);

    // PutItem with ALL_OLD returns the replaced item.
    const replaced = await Author.build(PutItemCommand)
      .item({ authorId: 'a3', name: 'Olga', country: 'PL', born: 1962, bookCount: 2 })
      .options({ returnValues: 'ALL_OLD' })
      .send();
    assert.deepEqual(replaced.Attributes, { authorId: 'a3', name: 'Olga', country: 'PL', born: 1962, bookCount: 0 });
  });

  it('queries a partition with sort-key conditions: beginsWith, between, gt, reverse', async () => {
    const query = table.build(QueryCommand).entities(Book);
    const ids = (items: Array<{ bookId: string }> | undefined) => (items ?? []).map((b) => b.bookId);

    const all = await query.query({ partition: 'AUTHOR#a1', range: { beginsWith: 'BOOK#' } }).send();
    assert.deepEqual(ids(all.Items), a1Books.map((b) => b.bookId));
    assert.equal(all.Count, 12);
    assert.deepEqual(withoutTimestamps(all.Items![4]), a1Books[4]);

    const between = await query.query({ partition: 'AUTHOR#a1', range: { between: ['BOOK#b03', 'BOOK#b05'] } }).send();
    assert.deepEqual(between.Items?.map((b) => [b.bookId, b.year]), [['b03', 1969], ['b04', 1970], ['b05', 1971]]);

    const gt = await query.query({ partition: 'AUTHOR#a1', range: { gt: 'BOOK#b10' } }).send();
    assert.deepEqual(ids(gt.Items), ['b11', 'b12']);

    const reversed = await query.query({ partition: 'AUTHOR#a1', range: { lte: 'BOOK#b03' } }).options({ reverse: true }).send();
    assert.deepEqual(ids(reversed.Items), ['b03', 'b02', 'b01']);

    const filtered = await query
      .query({ partition: 'AUTHOR#a1', range: { beginsWith: 'BOOK#' } })
      .options({ filters: { Book: { attr: 'copies', gte: 10 } } })
      .send();
    assert.deepEqual(ids(filtered.Items), ['b10', 'b11', 'b12']);
    assert.equal(filtered.ScannedCount, 12);

    const projected = await query
      .query({ partition: 'AUTHOR#a1', range: { eq: 'BOOK#b07' } })
      .options({ attributes: ['title', 'year'] })
      .send();
    assert.deepEqual(projected.Items, [{ title: 'Title 7', year: 1973 }]);
  });

  it('queries the GSI by partition and sort-key range', async () => {
    const fantasy = await table.build(QueryCommand).entities(Book)
      .query({ index: 'gsi1', partition: 'GENRE#fantasy', range: { between: ['1970', '1975'] } })
      .send();
    assert.deepEqual(fantasy.Items?.map((b) => b.bookId), ['b04', 'b06', 'b08']);
    assert.ok(fantasy.Items?.every((b) => b.genre === 'fantasy'));

    const poles = await table.build(QueryCommand).entities(Author).query({ index: 'gsi1', partition: 'COUNTRY#PL' }).send();
    assert.deepEqual(poles.Items?.map((a) => a.name), ['Olga', 'Stanislaw']);

    const after = await table.build(QueryCommand).entities(Author).query({ index: 'gsi1', partition: 'COUNTRY#PL', range: { gt: 'P' } }).send();
    assert.deepEqual(after.Items?.map((a) => a.authorId), ['a2']);
  });

  it('queries a partition holding two entities and formats each item by its entity', async () => {
    const { Items } = await table.build(QueryCommand).entities(Author, Book)
      .query({ partition: 'AUTHOR#a1' })
      .options({ showEntityAttr: true })
      .send();
    assert.equal(Items?.length, 13);
    // BOOK#... sorts before PROFILE.
    assert.deepEqual(Items?.slice(0, 12).map((i) => i.entity), Array(12).fill('Book'));
    assert.deepEqual(Items?.[12], { entity: 'Author', authorId: 'a1', name: 'Ursula', country: 'US', born: 1929, bookCount: 0 });
  });

  it('updates with $add, $append, $prepend, $remove, $subtract, $sum and $get', async () => {
    await Book.build(PutItemCommand)
      .item({ authorId: 'a2', bookId: 's1', title: 'Solaris', genre: 'sf', year: 1961, copies: 5, tags: ['ocean'], notes: 'first edition', rating: 4 })
      .send();
    const before = await Book.build(GetItemCommand).key({ authorId: 'a2', bookId: 's1' }).send();

    const updated = await Book.build(UpdateItemCommand)
      .item({ authorId: 'a2', bookId: 's1', title: 'Solaris (revised)', copies: $add(3), tags: $append(['classic']), notes: $remove() })
      .options({ returnValues: 'ALL_NEW' })
      .send();
    const now = withoutTimestamps(updated.Attributes);
    assert.deepEqual(now, { authorId: 'a2', bookId: 's1', title: 'Solaris (revised)', genre: 'sf', year: 1961, copies: 8, tags: ['ocean', 'classic'], rating: 4 });
    assert.equal(updated.Attributes?.created, before.Item?.created, 'the creation timestamp is kept');

    const arithmetic = await Book.build(UpdateItemCommand)
      .item({ authorId: 'a2', bookId: 's1', copies: $subtract($get('copies'), 2), rating: $sum($get('copies'), 10), tags: $prepend(['polish']) })
      .options({ returnValues: 'UPDATED_NEW' })
      .send();
    assert.equal(arithmetic.Attributes?.copies, 6);
    assert.equal(arithmetic.Attributes?.rating, 18, 'both SET values read the item as it was before the update');
    assert.deepEqual(arithmetic.Attributes?.tags, ['polish', 'ocean', 'classic']);

    // UpdateItem on a missing key creates the item. (Links only run on puts, so it has no GSI
    // keys and the entity would not format it: read it raw.)
    const created = await Author.build(UpdateItemCommand)
      .item({ authorId: 'a9', name: 'New', country: 'FR', born: 1990, bookCount: $add(1) })
      .options({ returnValues: 'ALL_OLD' })
      .send();
    assert.equal(created.Attributes, undefined);
    const raw = await t.doc.send(new GetCommand({ TableName: TABLE, Key: { pk: 'AUTHOR#a9', sk: 'PROFILE' } }));
    assert.deepEqual(raw.Item, { pk: 'AUTHOR#a9', sk: 'PROFILE', _et: 'Author', authorId: 'a9', name: 'New', country: 'FR', born: 1990, bookCount: 1 });
    await Author.build(DeleteItemCommand).key({ authorId: 'a9' }).send();
  });

  it('surfaces ConditionalCheckFailedException from failed conditional writes', async () => {
    const duplicate = await expectError(
      Author.build(PutItemCommand)
        .item({ authorId: 'a1', name: 'Impostor', country: 'XX', born: 2000 })
        .options({ condition: { attr: 'authorId', exists: false } })
        .send(),
      'ConditionalCheckFailedException',
    );
    assert.ok(isConditionCheckFailed(duplicate, Author));
    assert.equal(duplicate.FormattedItem, undefined, 'no old item unless asked for');

    // Asking for the old item on failure (ReturnValuesOnConditionCheckFailure = ALL_OLD).
    const withOld = await expectError(
      Author.build(PutItemCommand)
        .item({ authorId: 'a1', name: 'Impostor', country: 'XX', born: 2000 })
        .options({ condition: { attr: 'authorId', exists: false }, returnValuesOnConditionFalse: 'ALL_OLD' })
        .send(),
      'ConditionalCheckFailedException',
    );
    assert.ok(isConditionCheckFailed(withOld, Author));
    assert.deepEqual(withOld.FormattedItem, { authorId: 'a1', name: 'Ursula', country: 'US', born: 1929, bookCount: 0 });

    await expectError(
      Book.build(UpdateItemCommand)
        .item({ authorId: 'a1', bookId: 'b01', copies: $add(1) })
        .options({ condition: { and: [{ attr: 'copies', gt: 100 }, { attr: 'genre', eq: 'sf' }] } })
        .send(),
      'ConditionalCheckFailedException',
    );
    assert.equal((await Book.build(GetItemCommand).key({ authorId: 'a1', bookId: 'b01' }).send()).Item?.copies, 1);

    // A condition that holds writes.
    await Book.build(UpdateItemCommand)
      .item({ authorId: 'a1', bookId: 'b01', copies: $add(1) })
      .options({ condition: { or: [{ attr: 'copies', lt: 2 }, { attr: 'title', beginsWith: 'Nope' }] } })
      .send();
    assert.equal((await Book.build(GetItemCommand).key({ authorId: 'a1', bookId: 'b01' }).send()).Item?.copies, 2);
  });

  it('deletes an item, returning the old one, and honours a delete condition', async () => {
    await Book.build(PutItemCommand).item({ authorId: 'a3', bookId: 'x1', title: 'Draft', genre: 'drama', year: 2020 }).send();
    await expectError(
      Book.build(DeleteItemCommand).key({ authorId: 'a3', bookId: 'x1' }).options({ condition: { attr: 'year', lt: 2000 } }).send(),
      'ConditionalCheckFailedException',
    );
    const { Attributes } = await Book.build(DeleteItemCommand).key({ authorId: 'a3', bookId: 'x1' }).options({ returnValues: 'ALL_OLD' }).send();
    assert.deepEqual(withoutTimestamps(Attributes), { authorId: 'a3', bookId: 'x1', title: 'Draft', genre: 'drama', year: 2020, copies: 1, tags: [] });
    assert.equal((await Book.build(GetItemCommand).key({ authorId: 'a3', bookId: 'x1' }).send()).Item, undefined);
  });

  it('batch-writes and batch-gets items across two entities', async () => {
    const books = Array.from({ length: 20 }, (_, i) => ({
      authorId: 'a4', bookId: `p${String(i).padStart(2, '0')}`, title: `Poem ${i}`, genre: 'poetry', year: 2000 + i, copies: i,
    }));
    const written = await executeBatchWrite(
      table.build(BatchWriteCommand).requests(
        ...books.map((b) => Book.build(BatchPutRequest).item(b)),
        Author.build(BatchPutRequest).item({ authorId: 'a4', name: 'Wislawa', country: 'PL', born: 1923 }),
      ),
    );
    assert.deepEqual(written.UnprocessedItems ?? {}, {});

    const got = await executeBatchGet(
      table.build(BatchGetCommand).requests(
        Author.build(BatchGetRequest).key({ authorId: 'a4' }),
        Book.build(BatchGetRequest).key({ authorId: 'a4', bookId: 'p03' }),
        Book.build(BatchGetRequest).key({ authorId: 'a4', bookId: 'p19' }),
        Book.build(BatchGetRequest).key({ authorId: 'a4', bookId: 'missing' }),
      ),
    );
    const [author, p03, p19, missing] = got.Responses[0];
    assert.deepEqual(author, { authorId: 'a4', name: 'Wislawa', country: 'PL', born: 1923, bookCount: 0 });
    assert.deepEqual(withoutTimestamps(p03), { ...books[3], tags: [] });
    assert.deepEqual(withoutTimestamps(p19), { ...books[19], tags: [] });
    assert.equal(missing, undefined);

    // Batch delete, then the partition holds only the author.
    await executeBatchWrite(table.build(BatchWriteCommand).requests(...books.map((b) => Book.build(BatchDeleteRequest).key(b))));
    const left = await table.build(QueryCommand).entities(Author, Book).query({ partition: 'AUTHOR#a4' }).send();
    assert.deepEqual(left.Items, [{ authorId: 'a4', name: 'Wislawa', country: 'PL', born: 1923, bookCount: 0 }]);
  });

  it('writes a transaction, reports a canceled one, and reads transactionally', async () => {
    await executeTransactWrite(
      Book.build(PutTransaction).item({ authorId: 'a2', bookId: 's2', title: 'The Cyberiad', genre: 'sf', year: 1965 }),
      Author.build(UpdateTransaction).item({ authorId: 'a2', bookCount: $add(1) }).options({ condition: { attr: 'country', eq: 'PL' } }),
    );
    assert.equal((await Author.build(GetItemCommand).key({ authorId: 'a2' }).send()).Item?.bookCount, 1);
    assert.equal((await Book.build(GetItemCommand).key({ authorId: 'a2', bookId: 's2' }).send()).Item?.title, 'The Cyberiad');

    const put = Book.build(PutTransaction).item({ authorId: 'a2', bookId: 's3', title: 'Fiasco', genre: 'sf', year: 1986 });
    const check = Author.build(ConditionCheck)
      .key({ authorId: 'a2' })
      .condition({ attr: 'country', eq: 'US' })
      .options({ returnValuesOnConditionFalse: 'ALL_OLD' });
    const remove = Book.build(DeleteTransaction).key({ authorId: 'a2', bookId: 's2' });
    const err = await expectError(executeTransactWrite(put, check, remove), 'TransactionCanceledException');
    assert.ok(isTransactionCancelled(err, put, check, remove));
    assert.deepEqual(err.CancellationReasons?.map((r) => r.Code), ['None', 'ConditionalCheckFailed', 'None']);
    assert.deepEqual(err.CancellationReasons?.[1]?.FormattedItem, { authorId: 'a2', name: 'Stanislaw', country: 'PL', born: 1921, bookCount: 1 });
    // Nothing was written or deleted.
    assert.equal((await Book.build(GetItemCommand).key({ authorId: 'a2', bookId: 's3' }).send()).Item, undefined);
    assert.equal((await Book.build(GetItemCommand).key({ authorId: 'a2', bookId: 's2' }).send()).Item?.year, 1965);

    const read = await executeTransactGet(
      Author.build(GetTransaction).key({ authorId: 'a2' }),
      Book.build(GetTransaction).key({ authorId: 'a2', bookId: 's2' }),
      Book.build(GetTransaction).key({ authorId: 'a2', bookId: 'nope' }),
    );
    assert.equal(read.Responses?.[0]?.Item?.name, 'Stanislaw');
    assert.equal(read.Responses?.[1]?.Item?.title, 'The Cyberiad');
    assert.equal(read.Responses?.[2]?.Item, undefined);
  });

  it('pages through a query with paginate() and with maxPages', async () => {
    const command = table.build(QueryCommand).entities(Book)
      .query({ partition: 'AUTHOR#a1', range: { beginsWith: 'BOOK#' } })
      .options({ limit: 5 });
    const pageSizes: number[] = [];
    const seen: string[] = [];
    for await (const page of command.paginate()) {
      pageSizes.push(page.Items?.length ?? 0);
      seen.push(...(page.Items ?? []).map((b) => b.bookId));
      assert.ok(pageSizes.length < 10, 'pagination ends');
    }
    assert.deepEqual(pageSizes, [5, 5, 2]);
    assert.deepEqual(seen, a1Books.map((b) => b.bookId));

    // Following LastEvaluatedKey by hand, on the GSI, in reverse.
    const gsiSeen: string[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined;
    let pages = 0;
    do {
      const page = await table.build(QueryCommand).entities(Book)
        .query({ index: 'gsi1', partition: 'GENRE#sf', range: { between: ['1966', '1980'] } })
        .options({ limit: 2, reverse: true, exclusiveStartKey })
        .send();
      gsiSeen.push(...(page.Items ?? []).map((b) => b.bookId));
      exclusiveStartKey = page.LastEvaluatedKey;
      pages++;
    } while (exclusiveStartKey !== undefined && pages < 10);
    assert.deepEqual(gsiSeen, ['b11', 'b09', 'b07', 'b05', 'b03', 'b01']);

    const allAtOnce = await command.options({ limit: 5, maxPages: Infinity }).send();
    assert.equal(allAtOnce.Items?.length, 12);
    assert.equal(allAtOnce.Count, 12);
    assert.equal(allAtOnce.LastEvaluatedKey, undefined);
  });

  it('scans with a filter, only returning items of the chosen entity', async () => {
    const { Items } = await table.build(ScanCommand).entities(Book)
      .options({ filters: { Book: { and: [{ attr: 'year', gte: 1975 }, { attr: 'genre', eq: 'sf' }] } }, maxPages: Infinity })
      .send();
    assert.deepEqual(Items?.map((b) => b.bookId).sort(), ['b09', 'b11']);

    const authors = await table.build(ScanCommand).entities(Author).options({ maxPages: Infinity }).send();
    assert.deepEqual(authors.Items?.map((a) => a.authorId).sort(), ['a1', 'a2', 'a3', 'a4']);

    // Paged scan with a small limit still sees every author exactly once.
    const paged: string[] = [];
    for await (const page of table.build(ScanCommand).entities(Author).options({ limit: 3 }).paginate()) {
      paged.push(...(page.Items ?? []).map((a) => a.authorId));
    }
    assert.deepEqual(paged.sort(), ['a1', 'a2', 'a3', 'a4']);
  });
});
