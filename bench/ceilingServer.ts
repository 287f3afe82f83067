/**
 * The ceiling: the least work any Node.js DynamoDB server must do — read the body,
 * JSON.parse it, answer a fixed small JSON. Usage: node ceilingServer.js <port>
 */
import { createServer } from 'node:http';

const ANSWER = Buffer.from('{"ok":true}');
const HEADERS = { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': ANSWER.length };

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, HEADERS);
    res.end(ANSWER);
  });
});
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write(`ceiling listening on ${process.argv[2]}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
