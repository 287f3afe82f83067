import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkAuthorization } from '../src/server/auth.js';

const DATE = { 'x-amz-date': '20260101T000000Z' };
const problemOf = (authorization: string, extra: Record<string, string> = DATE): string | undefined =>
  checkAuthorization({ authorization, ...extra })?.message;

describe('Authorization header check', () => {
  it('accepts a SigV4 header with its three parameters and a date', () => {
    assert.equal(problemOf('AWS4-HMAC-SHA256 Credential=a/b, SignedHeaders=host, Signature=00'), undefined);
    assert.equal(problemOf('AWS4-HMAC-SHA256 Credential=a/b,SignedHeaders=host,Signature=00', { date: 'Thu, 01 Jan 2026 00:00:00 GMT' }), undefined);
    // Names are trimmed; parameters may come in any order.
    assert.equal(problemOf('AWS4-HMAC-SHA256 Signature =00 ,  Credential= a , SignedHeaders=x'), undefined);
  });

  it('names every missing parameter, and the missing date, in order', () => {
    assert.equal(
      problemOf('AWS4-HMAC-SHA256 Credential=abc', {}),
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=abc",
    );
    assert.equal(
      problemOf('AWS4-HMAC-SHA256'),
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. Authorization=AWS4-HMAC-SHA256",
    );
  });

  it('counts only parameter names, not text inside values or other names', () => {
    const message = problemOf('AWS4-HMAC-SHA256 Credential=Signature=x, XSignedHeaders=y, =Signature, Signature');
    assert.match(message ?? '', /^Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\./);
    // A name first seen inside a value still counts where it begins a part later.
    assert.equal(problemOf('AWS4-HMAC-SHA256 Credential=xSignature=1, SignedHeaders=h,\tSignature=2'), undefined);
    // Blanks before a name are trimmed, but text before it on the same part is not a separator.
    assert.equal(problemOf('AWS4-HMAC-SHA256   Credential=a,   SignedHeaders=h , \t Signature=s'), undefined);
    assert.match(problemOf('AWS4-HMAC-SHA256 Credential=a SignedHeaders=h Signature=s') ?? '',
      /^Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\./);
    assert.match(problemOf('AWS4-HMAC-SHA256 Credential=a,x Signature=s, SignedHeaders=h') ?? '', /^Authorization header requires 'Signature' parameter\. Authorization=/);
  });

  it('refuses a missing or non-SigV4 header as a missing token', () => {
    assert.equal(checkAuthorization({})?.code, 'MissingAuthenticationTokenException');
    assert.equal(checkAuthorization({ authorization: 'Bearer x' })?.code, 'MissingAuthenticationTokenException');
  });
});
