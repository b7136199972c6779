// Both signatures every delivery carries (API.md §4.5, issue 6 item 2), over the exact bytes
// sent. The organization's webhook signing key is used as the HMAC key as its UTF-8 text for
// both: HelpCrunch's X-HelpCrunch-Signature (hex HMAC-SHA1 of the body) and Standard Webhooks'
// `webhook-signature` (v1, base64 HMAC-SHA256 of "id.timestamp.body"). A Standard Webhooks
// library expects the secret as "whsec_" + base64(key bytes): see standardWebhooksSecret.
import { createHmac } from 'node:crypto';

export function helpCrunchSignature(body: string, signingKey: string): string {
  return createHmac('sha1', signingKey).update(body).digest('hex');
}

export function standardWebhooksSignature(id: string, timestamp: number, body: string, signingKey: string): string {
  return `v1,${createHmac('sha256', signingKey).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/** the secret to give a Standard Webhooks verifier for this signing key */
export function standardWebhooksSecret(signingKey: string): string {
  return `whsec_${Buffer.from(signingKey, 'utf8').toString('base64')}`;
}

/** the headers of one attempt: `eventId` is stable across retries (the receiver's idempotency key) */
export function signedHeaders(eventId: string, timestamp: number, body: string, signingKey: string): Record<string, string> {
  return {
    'x-helpcrunch-signature': helpCrunchSignature(body, signingKey),
    'webhook-id': eventId,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': standardWebhooksSignature(eventId, timestamp, body, signingKey),
  };
}
