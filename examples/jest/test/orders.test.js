const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');
const { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } = require('@aws-sdk/lib-dynamodb');

// No endpoint here: the preset set AWS_ENDPOINT_URL_DYNAMODB, a region and dummy
// credentials, so the application's own client code reaches OpenDDB unchanged.
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
afterAll(() => client.destroy());

test('puts and gets an order', async () => {
  await client.send(new PutCommand({ TableName: 'orders', Item: { id: 'o-1', total: 42 } }));
  const { Item } = await client.send(new GetCommand({ TableName: 'orders', Key: { id: 'o-1' } }));
  expect(Item).toEqual({ id: 'o-1', total: 42 });
});

test('answers with DynamoDB errors', async () => {
  await expect(client.send(new QueryCommand({ TableName: 'orders', KeyConditionExpression: 'amount = :a', ExpressionAttributeValues: { ':a': 1 } })))
    .rejects.toThrow('Query condition missed key schema element: id');
});
