/**
 * Signing in: the browser refuses the console's credentials once, as a server checking
 * signatures would; the console then links to its settings, and the key entered there
 * signs every request exactly as the AWS SDK's signer does.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page, Route } from 'playwright-core';
import { createTable, startTestServer, type TestContext } from '../helpers.js';
import { NO_BROWSER, openBrowser, type BrowserSession } from './launch.js';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';

describe('console sign-in', { skip: NO_BROWSER, timeout: 45_000 }, () => {
  let ctx: TestContext;
  let session: BrowserSession;
  let page: Page;

  before(async () => {
    ctx = await startTestServer();
    await createTable(ctx.client, 'Tail', ['pk', 'S']);
    session = await openBrowser();
    page = session.page;
  });
  after(async () => {
    await session?.close();
    await ctx?.close();
  });

  it('signing in: a refused credential links to the settings, and the new key signs every request as the SDK would', async () => {
    let refused = false;
    let signed: { headers: Record<string, string>; body: string } | undefined;
    const checkCredentials = async (route: Route) => {
      const request = route.request();
      if (request.headers()['x-amz-target'] !== 'DynamoDB_20120810.ListTables') return route.fallback();
      if (!refused) {
        refused = true;
        return route.fulfill({
          status: 400, contentType: 'application/x-amz-json-1.0',
          body: JSON.stringify({ __type: 'com.amazon.coral.service#UnrecognizedClientException', message: 'The security token included in the request is invalid.' }),
        });
      }
      signed = { headers: await request.allHeaders(), body: request.postData() ?? '' };
      return route.fallback();
    };
    await page.route(`${ctx.server.url}/`, checkCredentials);
    try {
      await page.goto(`${ctx.server.url}/console#/tables`);
      await page.getByRole('alert').filter({ hasText: 'UnrecognizedClientException: The security token included in the request is invalid.' }).waitFor();
      await page.getByRole('link', { name: 'Sign in with an access key' }).click();
      await page.getByLabel('Region').fill('eu-west-1');
      await page.getByLabel('Access key ID').fill('AKIDNEW');
      await page.getByLabel('Secret access key').fill('new/secret+key');
      await page.getByRole('button', { name: 'Save settings' }).click();
      await page.getByRole('link', { name: 'Tables', exact: true }).click();
      await page.getByRole('link', { name: 'Tail', exact: true }).waitFor();
    } finally {
      await page.unroute(`${ctx.server.url}/`, checkCredentials);
    }
    assert.ok(signed, 'ListTables was sent again');
    const { headers, body } = signed;
    assert.match(headers['authorization'], /^AWS4-HMAC-SHA256 Credential=AKIDNEW\/\d{8}\/eu-west-1\/dynamodb\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/);
    const { hostname, port } = new URL(ctx.server.url);
    const signer = new SignatureV4({ credentials: { accessKeyId: 'AKIDNEW', secretAccessKey: 'new/secret+key' }, region: 'eu-west-1', service: 'dynamodb', sha256: Hash.bind(null, 'sha256'), applyChecksum: false });
    const amzDate = headers['x-amz-date'];
    const expected = await signer.sign({
      method: 'POST', protocol: 'http:', hostname, port: Number(port), path: '/', query: {}, body,
      headers: { host: `${hostname}:${port}`, 'content-type': headers['content-type'], 'x-amz-target': headers['x-amz-target'] },
    }, { signingDate: new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`) });
    assert.equal(headers['authorization'], expected.headers['authorization']);
  });
});
