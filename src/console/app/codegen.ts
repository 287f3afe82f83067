/**
 * "Copy as code": one DynamoDB request as an AWS CLI command, SDK v3 (JavaScript)
 * code and boto3 code, each pointed at this server.
 */

export type CodeLanguage = 'cli' | 'js' | 'python';

export interface CodeTarget {
  endpoint: string;
  region: string;
}

export function requestAsCode(language: CodeLanguage, operation: string, params: Record<string, unknown>, target: CodeTarget): string {
  if (language === 'cli') return asCli(operation, params, target);
  if (language === 'js') return asJavaScript(operation, params, target);
  return asPython(operation, params, target);
}

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
const snake = (name: string) => kebab(name).replace(/-/g, '_');

function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

function asCli(operation: string, params: Record<string, unknown>, target: CodeTarget): string {
  const lines = [`aws dynamodb ${kebab(operation)}`];
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue;
    const flag = kebab(name);
    if (typeof value === 'boolean') lines.push(value ? `--${flag}` : `--no-${flag}`);
    else if (typeof value === 'object') lines.push(`--${flag} ${shellQuote(JSON.stringify(value))}`);
    else lines.push(`--${flag} ${shellQuote(String(value))}`);
  }
  lines.push(`--endpoint-url ${target.endpoint}`, `--region ${target.region}`);
  return lines.join(' \\\n  ');
}

function asJavaScript(operation: string, params: Record<string, unknown>, target: CodeTarget): string {
  const command = `${operation}Command`;
  return [
    `import { DynamoDBClient, ${command} } from '@aws-sdk/client-dynamodb';`,
    '',
    `const client = new DynamoDBClient({ endpoint: ${JSON.stringify(target.endpoint)}, region: ${JSON.stringify(target.region)} });`,
    `const output = await client.send(new ${command}(${JSON.stringify(params, null, 2)}));`,
    'console.log(output);',
  ].join('\n');
}

function asPython(operation: string, params: Record<string, unknown>, target: CodeTarget): string {
  const args = Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `    ${name}=${pythonLiteral(value, '    ')},`);
  return [
    'import boto3',
    '',
    `client = boto3.client("dynamodb", endpoint_url=${JSON.stringify(target.endpoint)}, region_name=${JSON.stringify(target.region)})`,
    `response = client.${snake(operation)}(`,
    ...args,
    ')',
    'print(response)',
  ].join('\n');
}

function pythonLiteral(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((v) => `${inner}${pythonLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pythonLiteral(v, inner)},`).join('\n')}\n${indent}}`;
}
