// The `handoff` commands of webhook subscriptions: add, list, pause, resume (also one a 410 from
// its receiver disabled), remove. The same services as /v1/webhooks; the SSRF guard vets a new URL.
import { int, optional, text } from './cli-args.ts';
import { command, type Command } from './cli-command.ts';
import { when } from './cli-format.ts';
import { EVENTS } from './events/names.ts';
import { systemClock } from './lib/clock.ts';
import { requireOrganization } from './modules/organizations/require-organization.ts';
import { createGuard } from './modules/webhooks/guard.ts';
import type { OperatorWebhook } from './modules/webhooks/webhooks.presenter.ts';
import { createWebhookBody } from './modules/webhooks/webhooks.schema.ts';
import { createWebhook, deleteWebhook, listWebhooksForOperator, pauseWebhook, resumeWebhook } from './modules/webhooks/webhooks.service.ts';

const describeWebhook = (w: OperatorWebhook) =>
  `${w.id}  ${w.active ? 'active  ' : 'disabled'}  ${w.url}  ${w.events.join(',')}` +
  (w.active ? '' : `  (${w.disabledReason ?? 'disabled'}, since ${when(w.disabledAt)})`);
const ID_FLAGS = { org: int('ID'), id: int('WEBHOOK_ID') };

export const WEBHOOK_COMMANDS: readonly Command[] = [
  command({
    name: 'webhook add',
    summary: `Subscribe a URL to events: comma-separated names, or * for all (the default). Events: ${EVENTS.join(', ')}.`,
    flags: { org: int('ID'), url: text('URL'), events: optional(text('a,b|*')) },
    async run(v, session) {
      const events = v.events === undefined || v.events.trim() === '*' ? '*' : v.events.split(',').map((e) => e.trim()).filter((e) => e !== '');
      const input = createWebhookBody.parse({ url: v.url, events });
      const guard = createGuard({ allowPrivate: session.config().webhookAllowPrivate });
      return createWebhook(await session.database(), systemClock, guard, v.org, input);
    },
    human: (w, v) => `Webhook ${w.id} of organization ${v.org} created: ${w.url} (${w.events.join(', ')}).`,
  }),
  command({
    name: 'webhook list',
    summary: "List an organization's webhook subscriptions; a disabled one says since when and why (paused, or its receiver answered 410).",
    flags: { org: int('ID') },
    readOnly: true,
    run: async (v, session) => listWebhooksForOperator((await session.database()).db, v.org),
    human: (list, v) => (list.length === 0 ? `Organization ${v.org} has no webhooks.` : list.map(describeWebhook).join('\n')),
  }),
  command({
    name: 'webhook pause',
    summary: 'Stop sending events to a subscription: what it has queued is cancelled, and nothing is queued for it until resumed.',
    flags: ID_FLAGS,
    run: async (v, session) => pauseWebhook(await session.database(), systemClock, v.org, v.id),
    toJson: (r) => r.webhook,
    human: ({ webhook: w, changed }, v) =>
      changed
        ? `Webhook ${w.id} (${w.url}) of organization ${v.org} paused: nothing more is sent to it. Resume with: handoff webhook resume --org ${v.org} --id ${w.id}`
        : `Webhook ${w.id} (${w.url}) of organization ${v.org} is already disabled (${w.disabledReason}, since ${when(w.disabledAt)}).`,
  }),
  command({
    name: 'webhook resume',
    summary: 'Send events to a paused subscription again, or to one disabled after its receiver answered 410 Gone: those committed from now on.',
    flags: ID_FLAGS,
    run: async (v, session) => resumeWebhook(await session.database(), v.org, v.id),
    toJson: (r) => r.webhook,
    human: ({ webhook: w, changed }, v) =>
      changed
        ? `Webhook ${w.id} (${w.url}) of organization ${v.org} resumed: events committed from now on are sent to it (none of those written while it was disabled).`
        : `Webhook ${w.id} (${w.url}) of organization ${v.org} is already active.`,
  }),
  command({
    name: 'webhook remove',
    summary: 'Delete a webhook subscription; its queued deliveries and log go with it.',
    flags: ID_FLAGS,
    async run(v, session) {
      const database = await session.database();
      await requireOrganization(database.db, v.org);
      return deleteWebhook(database, v.org, v.id);
    },
    human: (w, v) => `Webhook ${w.id} (${w.url}) of organization ${v.org} removed.`,
  }),
];
