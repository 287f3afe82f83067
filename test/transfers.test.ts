/** ExportTableToPointInTime / ImportTable: the S3 layout, formats, compression, and an exact round trip. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  DescribeExportCommand, DescribeImportCommand, DescribeTableCommand, ExportTableToPointInTimeCommand, ImportTableCommand, ListExportsCommand,
  ListImportsCommand, PutItemCommand, ScanCommand, UpdateContinuousBackupsCommand, type AttributeValue, type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { Clock } from '../src/index.js';
import { createTable, expectError, startTestServer, type TestContext } from './helpers.js';
import { waitFor } from './support/polling.js';

let t: TestContext;
let s3Root: string;
const clock = new Clock();
before(async () => {
  s3Root = mkdtempSync(join(tmpdir(), 'openddb-s3-test-'));
  t = await startTestServer({ s3Root, clock });
});
after(async () => {
  await t.close();
  rmSync(s3Root, { recursive: true, force: true });
});


async function scanAll(client: DynamoDBClient, name: string): Promise<Record<string, AttributeValue>[]> {
  const { Items } = await client.send(new ScanCommand({ TableName: name }));
  return Items!.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

const everyType: Record<string, AttributeValue>[] = [
  {
    id: { S: 'all-types' },
    s: { S: 'héllo "quoted"\n\u0001' },
    n: { N: '-12345678901234567890.000000000000000001' },
    big: { N: '1E+100' },
    b: { B: new Uint8Array([0, 1, 2, 255]) },
    ss: { SS: ['a', 'b'] },
    ns: { NS: ['1', '2.5', '-3'] },
    bs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
    m: { M: { inner: { L: [{ NULL: true }, { BOOL: true }, { BOOL: false }, { M: {} }, { L: [] }] }, 'weird key': { S: '' } } },
    nul: { NULL: true },
    t: { BOOL: true },
  },
  { id: { S: 'plain' }, n: { N: '0' } },
];

async function exportCompleted(arn: string) {
  return waitFor(async () => {
    const { ExportDescription } = await t.client.send(new DescribeExportCommand({ ExportArn: arn }));
    return ExportDescription!.ExportStatus === 'COMPLETED' ? ExportDescription! : undefined;
  }, 'the export');
}

async function importCompleted(arn: string) {
  return waitFor(async () => {
    const { ImportTableDescription } = await t.client.send(new DescribeImportCommand({ ImportArn: arn }));
    return ImportTableDescription!.ImportStatus === 'COMPLETED' ? ImportTableDescription! : undefined;
  }, 'the import');
}

function importInput(table: string, prefix: string, format: 'DYNAMODB_JSON' | 'ION' | 'CSV', compression: 'GZIP' | 'ZSTD' | 'NONE') {
  return {
    S3BucketSource: { S3Bucket: 'bucket', S3KeyPrefix: prefix },
    InputFormat: format,
    InputCompressionType: compression,
    TableCreationParameters: {
      TableName: table,
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
      BillingMode: 'PAY_PER_REQUEST' as const,
    },
  };
}

describe('export and import', () => {
  let tableArn: string;
  before(async () => {
    await createTable(t.client, 'Source', ['id', 'S']);
    await t.client.send(new UpdateContinuousBackupsCommand({ TableName: 'Source', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    for (const item of everyType) await t.client.send(new PutItemCommand({ TableName: 'Source', Item: item }));
    tableArn = (await t.client.send(new DescribeTableCommand({ TableName: 'Source' }))).Table!.TableArn!;
    clock.advance(1000);
  });

  for (const format of ['DYNAMODB_JSON', 'ION'] as const) {
    it(`round-trips every attribute type exactly through ${format}`, async () => {
      const { ExportDescription } = await t.client.send(new ExportTableToPointInTimeCommand({
        TableArn: tableArn, S3Bucket: 'bucket', S3Prefix: `exports/${format}`, ExportFormat: format,
      }));
      assert.equal(ExportDescription!.ExportStatus, 'IN_PROGRESS');
      assert.equal(ExportDescription!.ExportType, 'FULL_EXPORT');
      const done = await exportCompleted(ExportDescription!.ExportArn!);
      assert.equal(done.ItemCount, 2);
      const id = ExportDescription!.ExportArn!.split('/export/')[1]!;
      const dir = join(s3Root, 'bucket', 'exports', format, 'AWSDynamoDB', id);
      assert.deepEqual(readdirSync(dir).sort(), ['_started', 'data', 'manifest-files.json', 'manifest-summary.json']);
      assert.equal(done.ExportManifest, `exports/${format}/AWSDynamoDB/${id}/manifest-summary.json`);
      const summary = JSON.parse(readFileSync(join(dir, 'manifest-summary.json'), 'utf8'));
      assert.equal(summary.itemCount, 2);
      assert.equal(summary.outputFormat, format);
      assert.equal(summary.exportArn, ExportDescription!.ExportArn);
      const files = readFileSync(join(dir, 'manifest-files.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(files.length, 1);
      assert.match(files[0].dataFileS3Key, new RegExp(`^exports/${format}/AWSDynamoDB/${id}/data/[0-9a-f]{26}\\.json\\.gz$`));
      const lines = gunzipSync(readFileSync(join(s3Root, 'bucket', files[0].dataFileS3Key))).toString('utf8').trim().split('\n');
      assert.equal(lines.length, 2);
      if (format === 'ION') assert.match(lines[0]!, /^\$ion_1_0 \{Item:/);
      else assert.ok(JSON.parse(lines[0]!).Item);

      const imported = await t.client.send(new ImportTableCommand(importInput(`Imported${format}`, `exports/${format}/AWSDynamoDB/${id}/data/`, format, 'GZIP')));
      const description = await importCompleted(imported.ImportTableDescription!.ImportArn!);
      assert.equal(description.ImportedItemCount, 2);
      assert.equal(description.ErrorCount, 0);
      assert.equal((await t.client.send(new DescribeTableCommand({ TableName: `Imported${format}` }))).Table!.TableStatus, 'ACTIVE');
      assert.deepEqual(await scanAll(t.client, `Imported${format}`), await scanAll(t.client, 'Source'));
    });
  }

  it('imports CSV (keys typed, other values strings), counts bad rows as errors', async () => {
    mkdirSync(join(s3Root, 'bucket', 'csv'), { recursive: true });
    writeFileSync(join(s3Root, 'bucket', 'csv', 'part-1.csv'), 'id;colour;size\nk1;red;10\nk2;"blue;green";\n;orphan;1\n');
    const { ImportTableDescription } = await t.client.send(new ImportTableCommand({
      ...importInput('FromCsv', 'csv/part', 'CSV', 'NONE'),
      InputFormatOptions: { Csv: { Delimiter: ';' } },
    }));
    const done = await importCompleted(ImportTableDescription!.ImportArn!);
    assert.equal(done.ProcessedItemCount, 3);
    assert.equal(done.ImportedItemCount, 2);
    assert.equal(done.ErrorCount, 1);
    assert.deepEqual(await scanAll(t.client, 'FromCsv'), [
      { id: { S: 'k1' }, colour: { S: 'red' }, size: { S: '10' } },
      { id: { S: 'k2' }, colour: { S: 'blue;green' } },
    ]);
  });

  it('imports ZSTD-compressed DynamoDB JSON', async () => {
    const text = Buffer.from('{"Item":{"id":{"S":"z"},"n":{"N":"7"}}}\n');
    // A zstd frame holding one raw (stored) block: magic, single-segment header with the content size, block header.
    const frame = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x20, text.length]), Buffer.from([(1 | (text.length << 3)) & 0xff, (text.length << 3) >> 8, 0]), text]);
    mkdirSync(join(s3Root, 'bucket', 'zstd'), { recursive: true });
    writeFileSync(join(s3Root, 'bucket', 'zstd', 'items.json.zst'), frame);
    const { ImportTableDescription } = await t.client.send(new ImportTableCommand(importInput('FromZstd', 'zstd/', 'DYNAMODB_JSON', 'ZSTD')));
    await importCompleted(ImportTableDescription!.ImportArn!);
    assert.deepEqual(await scanAll(t.client, 'FromZstd'), [{ id: { S: 'z' }, n: { N: '7' } }]);
  });

  it('exports only the changes of a period (INCREMENTAL)', async () => {
    clock.advance(20 * 60_000);
    const from = new Date(clock.now());
    clock.advance(1000);
    await t.client.send(new PutItemCommand({ TableName: 'Source', Item: { id: { S: 'plain' }, n: { N: '1' } } }));
    clock.advance(20 * 60_000);
    const { ExportDescription } = await t.client.send(new ExportTableToPointInTimeCommand({
      TableArn: tableArn, S3Bucket: 'bucket', S3Prefix: 'incremental', ExportType: 'INCREMENTAL_EXPORT',
      IncrementalExportSpecification: { ExportFromTime: from, ExportToTime: new Date(clock.now() - 10_000), ExportViewType: 'NEW_AND_OLD_IMAGES' },
    }));
    const done = await exportCompleted(ExportDescription!.ExportArn!);
    assert.equal(done.ItemCount, 1);
    const dir = join(s3Root, 'bucket', 'incremental', 'AWSDynamoDB', ExportDescription!.ExportArn!.split('/export/')[1]!);
    const files = readFileSync(join(dir, 'manifest-files.json'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const line = JSON.parse(gunzipSync(readFileSync(join(s3Root, 'bucket', files[0].dataFileS3Key))).toString('utf8'));
    assert.deepEqual(line.Keys, { id: { S: 'plain' } });
    assert.deepEqual(line.NewImage, { id: { S: 'plain' }, n: { N: '1' } });
    assert.deepEqual(line.OldImage, { id: { S: 'plain' }, n: { N: '0' } });
  });

  it('lists exports and imports, and refuses what DynamoDB refuses', async () => {
    const exports = await t.client.send(new ListExportsCommand({ TableArn: tableArn }));
    assert.ok(exports.ExportSummaries!.length >= 3);
    const imports = await t.client.send(new ListImportsCommand({}));
    assert.ok(imports.ImportSummaryList!.length >= 4);
    await createTable(t.client, 'NoPitr', ['id', 'S']);
    const noPitrArn = (await t.client.send(new DescribeTableCommand({ TableName: 'NoPitr' }))).Table!.TableArn!;
    await expectError(t.client.send(new ExportTableToPointInTimeCommand({ TableArn: noPitrArn, S3Bucket: 'bucket' })), 'PointInTimeRecoveryUnavailableException');
    await expectError(t.client.send(new DescribeExportCommand({ ExportArn: `${tableArn}/export/01700000000000-deadbeef` })), 'ExportNotFoundException');
    await expectError(t.client.send(new DescribeImportCommand({ ImportArn: `${tableArn}/import/01700000000000-deadbeef` })), 'ImportNotFoundException');
    await expectError(t.client.send(new ImportTableCommand(importInput('Source', 'csv/', 'CSV', 'NONE'))), 'ResourceInUseException');
  });
});
