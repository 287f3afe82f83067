/** Small shared pieces: errors, labelled fields, the items grid, "Copy as code". */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { displayValue, type Item } from './attr.js';
import { ApiError, loadSettings, type ConsumedCapacity } from './client.js';
import { requestAsCode, type CodeLanguage } from './codegen.js';
import { href } from './route.js';

/** The answers of a server that checks credentials and did not take the console's. */
const SIGN_IN_ERRORS = new Set([
  'UnrecognizedClientException', 'InvalidSignatureException', 'MissingAuthenticationTokenException',
  'IncompleteSignatureException', 'ExpiredTokenException', 'AccessDeniedException',
]);

export function ErrorMessage({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  const text = error instanceof ApiError ? `${error.type}: ${error.message}` : error instanceof Error ? error.message : String(error);
  const signIn = error instanceof ApiError && SIGN_IN_ERRORS.has(error.type);
  return <p class="error" role="alert">{text}{signIn && <> <a href={href('settings')}>Sign in with an access key</a></>}</p>;
}

export function Notice({ children }: { children: ComponentChildren }) {
  return <p class="notice" role="status">{children}</p>;
}

let nextId = 0;
/** A stable id for label/field pairs. */
export function useId(prefix: string): string {
  const [id] = useState(() => `${prefix}-${++nextId}`);
  return id;
}

export function Field(props: { label: string; children: (id: string) => ComponentChildren; hint?: string }) {
  const id = useId('f');
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.children(id)}
      {props.hint && <small>{props.hint}</small>}
    </div>
  );
}

/** Read operations are charged in RCU, writes in WCU; `CapacityUnits` alone does not say which. */
const READ_OPERATIONS = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);
const WRITE_OPERATIONS = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export function formatCapacity(consumed: ConsumedCapacity[], operation: string): string {
  if (consumed.length === 0) return '';
  const sum = (pick: (c: ConsumedCapacity) => number | undefined) => consumed.reduce((s, c) => s + (pick(c) ?? 0), 0);
  const read = sum((c) => c.ReadCapacityUnits);
  const write = sum((c) => c.WriteCapacityUnits);
  if (read > 0 || write > 0) return [read > 0 && `${read} RCU`, write > 0 && `${write} WCU`].filter(Boolean).join(', ');
  const unit = READ_OPERATIONS.has(operation) ? 'RCU' : WRITE_OPERATIONS.has(operation) ? 'WCU' : 'capacity units';
  return `${sum((c) => c.CapacityUnits)} ${unit}`;
}

export function ItemsGrid(props: {
  items: Item[];
  keyNames: string[];
  selected?: Set<number>;
  onToggle?: (index: number) => void;
  onOpen?: (item: Item) => void;
  caption: string;
}) {
  const names = [...props.keyNames];
  for (const item of props.items) for (const name of Object.keys(item)) if (!names.includes(name)) names.push(name);
  return (
    <div class="grid-wrap">
      <table class="grid">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.onToggle && <th scope="col"><span class="sr-only">Select</span></th>}
            {props.onOpen && <th scope="col"><span class="sr-only">Open</span></th>}
            {names.map((name) => <th scope="col" key={name}>{name}</th>)}
          </tr>
        </thead>
        <tbody>
          {props.items.map((item, i) => {
            const label = props.keyNames.map((k) => displayValue(item[k])).join(' / ');
            return (
              <tr key={i}>
                {props.onToggle && (
                  <td>
                    <input type="checkbox" aria-label={`Select ${label}`} checked={props.selected?.has(i)} onChange={() => props.onToggle!(i)} />
                  </td>
                )}
                {props.onOpen && (
                  <td>
                    <button type="button" class="link" aria-label={`Edit ${label}`} onClick={() => props.onOpen!(item)}>Edit</button>
                  </td>
                )}
                {names.map((name) => <td key={name}>{displayValue(item[name])}</td>)}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

const LANGUAGES: [CodeLanguage, string][] = [['cli', 'AWS CLI'], ['js', 'SDK v3 (JavaScript)'], ['python', 'boto3 (Python)']];

/** The request as code to paste elsewhere, pointed at this server. */
export function CopyAsCode({ operation, params }: { operation: string; params: Record<string, unknown> | undefined }) {
  const [language, setLanguage] = useState<CodeLanguage | undefined>();
  const [copied, setCopied] = useState(false);
  const id = useId('code');
  if (params === undefined) return null;
  const code = language && requestAsCode(language, operation, params, { endpoint: location.origin, region: loadSettings().region });
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(code ?? '');
      setCopied(true);
    } catch {
      // Without clipboard access (plain http), the code stays selectable below.
      setCopied(false);
    }
  };
  return (
    <details class="copy-code">
      <summary>Copy as code</summary>
      <div role="group" aria-label="Language">
        {LANGUAGES.map(([value, label]) => (
          <button type="button" key={value} aria-pressed={language === value} onClick={() => { setLanguage(value); setCopied(false); }}>{label}</button>
        ))}
      </div>
      {code && (
        <>
          <label for={id} class="sr-only">Code</label>
          <textarea id={id} readOnly rows={Math.min(18, code.split('\n').length + 1)} value={code} />
          <button type="button" onClick={copy}>Copy to clipboard</button>
          {copied && <span role="status"> Copied.</span>}
        </>
      )}
    </details>
  );
}
