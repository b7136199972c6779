// The `handoff` commands of routing (API.md §4.7 [ext]): an agent's presence and own capacity,
// and the routing policies of an organization and its departments. They parse their values with
// the HTTP routes' body rules and call the same services, so both say and do the same.
import { int, optional, text, UsageError, usageHint } from './cli-args.ts';
import { command, parseAsFlags, plural, type Command } from './cli-command.ts';
import { ROUTING_STRATEGIES, type RoutingPolicy } from './assignment/routing/policy.ts';
import { presentPolicy } from './assignment/routing/policy.presenter.ts';
import { policyBody } from './assignment/routing/policy.schema.ts';
import { readPolicy, updatePolicy, type PolicyRead } from './assignment/routing/policy.service.ts';
import { systemClock } from './lib/clock.ts';
import type { Agent } from './modules/agents/agents.presenter.ts';
import { agentUpdateBody, PRESENCES, presenceBody } from './modules/agents/agents.schema.ts';
import { setPresence, updateAgent } from './modules/agents/agents.service.ts';
import { requireOrganization } from './modules/organizations/require-organization.ts';

/** `none` on the command line is JSON's null: no limit, never */
const orNull = (value: string | undefined) => (value === 'none' ? null : value);
/** `true`/`false` become booleans; anything else goes to the body rule, which names it */
const asBoolean = (value: string | undefined) => (value === 'true' ? true : value === 'false' ? false : value);

/** the policy body's keys as `routing set` names them */
const POLICY_FLAGS = {
  strategy: 'strategy',
  capacity: 'capacity',
  onlineOnly: 'online-only',
  sticky: 'sticky',
  reassignAfterMinutes: 'reassign-after',
  offlineGraceMinutes: 'offline-grace',
} as const satisfies Record<keyof RoutingPolicy, string>;

const minutes = (n: number) => plural(n, 'minute');

function describePolicy(read: PolicyRead, org: number, department: number | undefined): string {
  const whose = department === undefined ? `organization ${org}` : `department ${department} of organization ${org}`;
  const from =
    read.from === 'defaults'
      ? 'the defaults: nothing is stored'
      : department !== undefined && read.from === 'organization'
        ? "inherited from the organization's"
        : 'its own';
  const p = read.policy;
  return [
    `Routing policy of ${whose} (${from}):`,
    `  strategy        ${p.strategy}`,
    `  capacity        ${p.capacity === null ? 'unlimited' : `${plural(p.capacity, 'open chat')} per agent`}`,
    `  online only     ${p.onlineOnly ? 'yes' : 'no'}`,
    `  sticky          ${p.sticky ? 'yes' : 'no'}`,
    `  reassign after  ${p.reassignAfterMinutes === null ? 'never' : `${minutes(p.reassignAfterMinutes)} without a reply`}`,
    `  offline grace   ${minutes(p.offlineGraceMinutes)}`,
  ].join('\n');
}

const describeAgent = (a: Agent, org: number) => `Agent ${a.id} "${a.name}" of organization ${org}`;

/** `agent status`, `agent capacity` */
export const PRESENCE_COMMANDS: readonly Command[] = [
  command({
    name: 'agent status',
    summary: "Set an agent's presence, which routing honours (as PUT /v1/agents/{id}/status).",
    flags: { org: int('ID'), id: int('AGENT_ID'), status: text(PRESENCES.join('|')) },
    async run(v, session) {
      const database = await session.database();
      await requireOrganization(database.db, v.org);
      const { status } = presenceBody.parse({ status: v.status });
      return setPresence(database, systemClock, v.org, v.id, status!);
    },
    human: (a, v) => `${describeAgent(a, v.org)} is ${a.status}.`,
  }),
  command({
    name: 'agent capacity',
    summary: "Set the most open chats routing gives an agent, or none to use the policy's capacity.",
    flags: { org: int('ID'), id: int('AGENT_ID'), capacity: text('N|none') },
    async run(v, session) {
      const database = await session.database();
      await requireOrganization(database.db, v.org);
      const input = agentUpdateBody.parse({ capacity: orNull(v.capacity) });
      return updateAgent(database, systemClock, v.org, v.id, input);
    },
    human: (a, v) =>
      a.capacity === null
        ? `${describeAgent(a, v.org)} takes as many open chats as the routing policy's capacity allows.`
        : `${describeAgent(a, v.org)} takes at most ${plural(a.capacity, 'open chat')} from routing.`,
  }),
];

/** `routing show`, `routing set` */
export const ROUTING_COMMANDS: readonly Command[] = [
  command({
    name: 'routing show',
    summary: "Show the routing policy of an organization, or the one a department has or inherits.",
    flags: { org: int('ID'), department: optional(int('DEPARTMENT_ID')) },
    readOnly: true,
    async run(v, session) {
      const { db } = await session.database();
      await requireOrganization(db, v.org);
      return readPolicy(db, v.org, v.department ?? null);
    },
    toJson: (r) => presentPolicy(r.policy),
    human: (r, v) => describePolicy(r, v.org, v.department),
  }),
  command({
    name: 'routing set',
    summary: 'Change the routing policy of an organization or a department; flags not given keep their value.',
    flags: {
      org: int('ID'),
      department: optional(int('DEPARTMENT_ID')),
      strategy: optional(text(ROUTING_STRATEGIES.join('|'))),
      capacity: optional(text('N|none')),
      'online-only': optional(text('true|false')),
      sticky: optional(text('true|false')),
      'reassign-after': optional(text('MINUTES|none')),
      'offline-grace': optional(text('MINUTES')),
    },
    async run(v, session) {
      const given = {
        strategy: v.strategy,
        capacity: orNull(v.capacity),
        onlineOnly: asBoolean(v['online-only']),
        sticky: asBoolean(v.sticky),
        reassignAfterMinutes: orNull(v['reassign-after']),
        offlineGraceMinutes: v['offline-grace'],
      };
      const raw = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
      if (Object.keys(raw).length === 0) {
        throw new UsageError('Nothing to set.', `Give at least one of --${Object.values(POLICY_FLAGS).join(', --')}. ${usageHint(ROUTING_COMMANDS[1])}`);
      }
      const patch = parseAsFlags((b) => policyBody.parse(b), raw, POLICY_FLAGS);
      const database = await session.database();
      await requireOrganization(database.db, v.org);
      return updatePolicy(database, systemClock, v.org, v.department ?? null, patch);
    },
    toJson: (r) => presentPolicy(r.policy),
    human: (r, v) => describePolicy(r, v.org, v.department),
  }),
];
