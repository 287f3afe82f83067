/**
 * Which namespace of tables a request works in, decided once per request (namespace.ts in
 * the engine explains namespaces): under `--auth`, the caller's account and the region of
 * its signature; with `--namespace-per-key-region`, the access key and region of the
 * request's credential, as DynamoDB Local keeps one database per pair; otherwise none
 * (the shared default namespace).
 */
import type { DynamoRequest } from './dynamoRequest.js';
import type { Caller } from '../api/authorization/caller.js';
import { accessKeyRegionKey, accountRegionKey, type Namespace } from '../engine/namespace.js';

export type NamespaceSelector = (req: DynamoRequest, caller: Caller | undefined) => Namespace | undefined;

/** Namespaces are few and reused: each is built once (the cache is bounded against made-up keys). */
const MAX_CACHED = 10_000;

export function namespaceSelector(server: Namespace, options: { auth: boolean; perKeyRegion: boolean }): NamespaceSelector | undefined {
  const cache = new Map<string, Namespace>();
  const cached = (id: string, make: () => Namespace): Namespace => {
    let namespace = cache.get(id);
    if (namespace === undefined) {
      if (cache.size >= MAX_CACHED) cache.clear();
      namespace = make();
      cache.set(id, namespace);
    }
    return namespace;
  };
  if (options.auth) {
    // Callers are reused objects (one per user, region and peer): each remembers its namespace.
    const ofCaller = new WeakMap<Caller, Namespace>();
    return (_req, caller) => {
      if (caller === undefined) return undefined;
      let namespace = ofCaller.get(caller);
      if (namespace === undefined) {
        namespace = cached(`${caller.account}:${caller.region}`, () => ({
          key: accountRegionKey(caller.account, caller.region, server),
          region: caller.region,
          accountId: caller.account,
          crossAccount: true,
        }));
        ofCaller.set(caller, namespace);
      }
      return namespace;
    };
  }
  if (!options.perKeyRegion) return undefined;
  return (req) => {
    const credential = credentialOf(req);
    if (credential === undefined) return undefined;
    const [accessKeyId, , region] = credential.split('/');
    if (!accessKeyId || !region) return undefined;
    return cached(`${accessKeyId}/${region}`, () => ({ key: accessKeyRegionKey(accessKeyId, region), region, accountId: server.accountId }));
  };
}

/** `Credential=<key>/<date>/<region>/...` of the Authorization header, or of a presigned query string. */
function credentialOf(req: DynamoRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth !== undefined) {
    const at = auth.indexOf('Credential=');
    if (at < 0) return undefined;
    const end = auth.indexOf(',', at);
    return auth.slice(at + 11, end < 0 ? undefined : end).trim();
  }
  const query = req.url?.indexOf('?') ?? -1;
  if (query < 0) return undefined;
  const value = new URLSearchParams(req.url!.slice(query + 1)).get('X-Amz-Credential');
  return value ?? undefined;
}
