/** CreateTable / UpdateTable index definitions: DynamoDB's validation messages. */
import { after, before, describe, it } from 'node:test';
import { CreateTableCommand, UpdateTableCommand, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { expectError, startTestServer, type TestContext } from './helpers.js';

const P = 'One or more parameter values were invalid: ';
type Def = { AttributeName: string; AttributeType: 'S' | 'N' | 'B' };
const def = (AttributeName: string, AttributeType: Def['AttributeType'] = 'S'): Def => ({ AttributeName, AttributeType });
type KeyElement = { AttributeName: string; KeyType: 'HASH' | 'RANGE' };
const hash = (AttributeName: string): KeyElement => ({ AttributeName, KeyType: 'HASH' });
const range = (AttributeName: string): KeyElement => ({ AttributeName, KeyType: 'RANGE' });
const all = { ProjectionType: 'ALL' as const };

function table(extra: Partial<CreateTableCommandInput>): CreateTableCommandInput {
  return {
    TableName: 'music',
    KeySchema: [hash('Artist'), range('SongTitle')],
    AttributeDefinitions: [def('Artist'), def('SongTitle'), def('AlbumTitle'), def('Genre')],
    BillingMode: 'PAY_PER_REQUEST',
    ...extra,
  };
}

describe('index validation', () => {
  let t: TestContext;
  before(async () => {
    t = await startTestServer();
  });
  after(() => t.close());

  const create = (extra: Partial<CreateTableCommandInput>) => t.client.send(new CreateTableCommand(table(extra)));
  const gsi = (IndexName: string, keys: KeyElement[], more: Record<string, unknown> = {}) => ({ IndexName, KeySchema: keys, Projection: all, ...more });

  it('CreateTable: attribute definitions must match the keys used', async () => {
    await expectError(create({ GlobalSecondaryIndexes: [gsi('gsi', [hash('Genre')])] }), 'ValidationException',
      `${P}Some AttributeDefinitions are not used. AttributeDefinitions: [AlbumTitle, Artist, Genre, SongTitle], keys used: [Artist, Genre, SongTitle]`);
    await expectError(create({ GlobalSecondaryIndexes: [gsi('gsi', [hash('Genre'), range('Year')]), gsi('aaa', [hash('AlbumTitle')])] }), 'ValidationException',
      `${P}Some index key attributes are not defined in AttributeDefinitions. Keys: [Year], AttributeDefinitions: [Artist, SongTitle, AlbumTitle, Genre]`);
  });

  it('CreateTable: LSI rules', async () => {
    await expectError(create({
      KeySchema: [hash('Artist')], AttributeDefinitions: [def('Artist'), def('AlbumTitle')],
      LocalSecondaryIndexes: [gsi('lsi', [hash('Artist'), range('AlbumTitle')])],
    }), 'ValidationException', `${P}Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex`);
    await expectError(create({ AttributeDefinitions: [def('Artist'), def('SongTitle')], LocalSecondaryIndexes: [gsi('lsi', [hash('Artist')])] }),
      'ValidationException', `${P}Index KeySchema does not have a range key for index: lsi`);
    await expectError(create({ AttributeDefinitions: [def('Artist'), def('SongTitle'), def('Genre'), def('AlbumTitle')], LocalSecondaryIndexes: [gsi('lsi', [hash('Genre'), range('AlbumTitle')])] }),
      'ValidationException', `${P}Index KeySchema does not have the same leading hash key as table KeySchema for index: lsi. index hash key: Genre, table hash key: Artist`);
    const six = Array.from({ length: 6 }, (_, i) => gsi(`lsi${i}`, [hash('Artist'), range('AlbumTitle')]));
    await expectError(create({ AttributeDefinitions: [def('Artist'), def('SongTitle'), def('AlbumTitle')], LocalSecondaryIndexes: six }),
      'ValidationException', `${P}Number of LocalSecondaryIndexes exceeds per-table limit of 5`);
  });

  it('CreateTable: names, projections, limits and throughput', async () => {
    const defs = { AttributeDefinitions: [def('Artist'), def('SongTitle'), def('Genre')] };
    await expectError(create({ ...defs, GlobalSecondaryIndexes: [gsi('gsi', [hash('Genre')]), gsi('gsi', [hash('Genre')])] }),
      'ValidationException', `${P}Duplicate index name: gsi`);
    await expectError(create({ ...defs, GlobalSecondaryIndexes: [gsi('gsi', [hash('Genre')], { Projection: { ProjectionType: 'ALL', NonKeyAttributes: ['x'] } })] }),
      'ValidationException', `${P}ProjectionType is ALL, but NonKeyAttributes is specified`);
    await expectError(create({ ...defs, GlobalSecondaryIndexes: [gsi('gsi', [hash('Genre')], { Projection: { ProjectionType: 'INCLUDE' } })] }),
      'ValidationException', `${P}ProjectionType is INCLUDE, but NonKeyAttributes is not specified`);
    await expectError(create({ ...defs, GlobalSecondaryIndexes: [gsi('gsi', [range('Genre')])] }),
      'ValidationException', 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
    const many = Array.from({ length: 21 }, (_, i) => gsi(`gsi${i}`, [hash('Genre')]));
    await expectError(create({ ...defs, GlobalSecondaryIndexes: many }), 'LimitExceededException',
      'Subscriber limit exceeded: Number of global secondary indexes exceeds per-table limit of 20');
    const wide = Array.from({ length: 6 }, (_, i) => gsi(`gsi${i}`, [hash('Genre')], {
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: Array.from({ length: 17 }, (_, j) => `a${j}`) },
    }));
    await expectError(create({ ...defs, GlobalSecondaryIndexes: wide }), 'ValidationException', `${P}Number of projected attributes in all indexes exceeds limit of 100`);
    await expectError(create({ ...defs, GlobalSecondaryIndexes: [gsi('gsi', [hash('Genre')], { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })] }),
      'ValidationException', `${P}ProvisionedThroughput should not be specified for index: gsi when BillingMode is PAY_PER_REQUEST`);
    await expectError(create({ ...defs, BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, GlobalSecondaryIndexes: [gsi('gsi', [hash('Genre')])] }),
      'ValidationException', `${P}ProvisionedThroughput must be specified for index: gsi`);
  });

  describe('UpdateTable', () => {
    before(async () => {
      await create({ AttributeDefinitions: [def('Artist'), def('SongTitle'), def('Genre')], GlobalSecondaryIndexes: [gsi('genre', [hash('Genre')])] });
    });
    const update = (updates: unknown[], defs?: Def[]) =>
      t.client.send(new UpdateTableCommand({ TableName: 'music', AttributeDefinitions: defs, GlobalSecondaryIndexUpdates: updates as never }));

    it('allows one index creation or deletion per call', async () => {
      await expectError(update([{ Create: gsi('aaa', [hash('Year')]) }, { Delete: { IndexName: 'genre' } }], [def('Year', 'N')]), 'LimitExceededException',
        'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
    });

    it('checks names, definitions and throughput of a new index', async () => {
      await expectError(update([{ Create: gsi('genre', [hash('Genre')]) }]), 'ValidationException', 'Attempting to create an index which already exists');
      await expectError(update([{ Create: gsi('by_year', [hash('Year')]) }]), 'ValidationException',
        `${P}Some index key attributes are not defined in AttributeDefinitions. Keys: [Year], AttributeDefinitions: [Artist, SongTitle, Genre]`);
      await expectError(update([{ Create: gsi('by_year', [hash('Year')], { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }) }], [def('Year', 'N')]),
        'ValidationException', `${P}ProvisionedThroughput should not be specified for index: by_year when BillingMode is PAY_PER_REQUEST`);
      await expectError(update([{ Delete: { IndexName: 'nope' } }]), 'ResourceNotFoundException', 'Requested resource not found: Index: nope not found');
    });
  });
});
