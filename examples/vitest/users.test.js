import { afterAll, expect, inject, test } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

// The endpoint, region and credentials come from the variables OpenDDB's globalSetup set.
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
afterAll(() => client.destroy());

test('reads a seeded user', async () => {
  const { Item } = await client.send(new GetCommand({ TableName: 'users', Key: { id: 'u-1' } }));
  expect(Item).toEqual({ id: 'u-1', name: 'Ada', team: 'engines', tags: ['admin'] });
});

test('queries the seeded index', async () => {
  const { Items } = await client.send(new QueryCommand({
    TableName: 'users', IndexName: 'byTeam', KeyConditionExpression: 'team = :t', ExpressionAttributeValues: { ':t': 'engines' },
  }));
  expect(Items.map((user) => user.name).sort()).toEqual(['Ada', 'Charles']);
});

test('knows where the server is', () => {
  expect(inject('openddbEndpoint')).toBe(process.env.AWS_ENDPOINT_URL_DYNAMODB);
});
