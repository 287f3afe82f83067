/** Test controls under --auth: signed requests only, authorized by `openddb:<Action>` in the caller's policies. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../src/index.js';
import { controlRequest, send, signer, writeUsersFile, type TestUser } from './security.helpers.js';

const admin: TestUser = { accessKeyId: 'AKIAADMIN', secretAccessKey: 'admin-secret', account: '111111111111', name: 'admin' };
const resetter: TestUser = {
  accessKeyId: 'AKIARESET', secretAccessKey: 'reset-secret', account: '111111111111', name: 'resetter',
  policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['openddb:Reset', 'dynamodb:*'], Resource: '*' }] }],
};
const tester: TestUser = {
  accessKeyId: 'AKIATESTER', secretAccessKey: 'tester-secret', account: '111111111111', name: 'tester',
  policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'openddb:*', Resource: '*' }, { Effect: 'Deny', Action: 'openddb:SetClock', Resource: '*' }] }],
};
const dataOnly: TestUser = {
  accessKeyId: 'AKIADATA', secretAccessKey: 'data-secret', account: '111111111111', name: 'data',
  policies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'dynamodb:*', Resource: '*' }] }],
};

for (const adminPort of [undefined, 0]) {
  describe(`Test controls under --auth${adminPort === undefined ? '' : ' on --admin-port'}`, () => {
    let server: RunningServer;
    let base: string;
    before(async () => {
      server = await startServer({ logLevel: 'silent', auth: writeUsersFile([admin, resetter, tester, dataOnly]), adminPort });
      base = server.adminUrl ?? server.url;
    });
    after(() => server.close());

    it('refuses unsigned and badly signed requests with 403, doing nothing', async () => {
      const snapshot = await send(controlRequest(base, '/openddb/snapshot'));
      assert.equal(snapshot.status, 403);
      assert.equal(snapshot.json.code, 'MissingAuthenticationTokenException');
      const signed = await signer(admin).sign(controlRequest(base, '/openddb/faults', { error: 'ThrottlingException' }));
      const tampered = await send({ ...signed, body: JSON.stringify({ error: 'InternalServerError' }) });
      assert.deepEqual([tampered.status, tampered.json.code], [403, 'InvalidSignatureException']);
      assert.deepEqual(server.faults.list(), []);
    });

    it('answers a user whose policies allow the control, and refuses the others with AccessDeniedException', async () => {
      const denied = await send(await signer(dataOnly).sign(controlRequest(base, '/openddb/reset')));
      assert.equal(denied.status, 403);
      assert.equal(denied.json.code, 'AccessDeniedException');
      assert.equal(denied.json.error,
        'User: arn:aws:iam::111111111111:user/data is not authorized to perform: openddb:Reset on resource: * because no identity-based policy allows the openddb:Reset action');

      assert.deepEqual(await send(await signer(resetter).sign(controlRequest(base, '/openddb/reset'))), { status: 200, json: {} });
      assert.equal((await send(await signer(resetter).sign(controlRequest(base, '/openddb/snapshot')))).json.code, 'AccessDeniedException');

      const snapshot = await send(await signer(tester).sign(controlRequest(base, '/openddb/snapshot')));
      assert.equal(snapshot.status, 200);
      assert.equal(typeof snapshot.json.id, 'string');
      const clock = await send(await signer(tester).sign(controlRequest(base, '/openddb/clock', { advance: 1000 })));
      assert.equal(clock.status, 403);
      assert.match(clock.json.error, /openddb:SetClock on resource: \* with an explicit deny in an identity-based policy$/);

      // No policies: everything in the user's own account, as for DynamoDB's operations.
      const faults = await send(await signer(admin).sign(controlRequest(base, '/openddb/faults', { operation: 'Scan', latencyMs: 1 })));
      assert.deepEqual(faults, { status: 200, json: { faults: [{ operation: 'Scan', latencyMs: 1 }] } });
    });
  });
}
