// The `handoff` commands of agents: create, list, update (role, departments, capacity),
// deactivate and reactivate. They call the services the HTTP API calls, so routing hears of every
// change the same way (presence and capacity alone: cli-routing.ts; passwords: cli-inbox.ts).
import { int, optional, text, UsageError, usageHint } from './cli-args.ts';
import { command, plural, type Command } from './cli-command.ts';
import { table } from './cli-format.ts';
import { Invalid } from './errors.ts';
import { REASON } from './input/validate.ts';
import { systemClock } from './lib/clock.ts';
import { presentDeactivation, type Agent } from './modules/agents/agents.presenter.ts';
import { agentUpdateBody } from './modules/agents/agents.schema.ts';
import { AGENT_ROLES, createAgent, deactivateAgent, listAgentsWithLoad, reactivateAgent, updateAgent } from './modules/agents/agents.service.ts';
import { listAllDepartments } from './modules/departments/departments.service.ts';

const describeAgent = (a: Agent, org: number) => `Agent ${a.id} "${a.name}" of organization ${org}`;
const capacityOf = (a: Agent) => (a.capacity === null ? "the policy's" : String(a.capacity));

/** `--department 2,3` → [2, 3]; `none` → [] (no department); anything else names the flag */
function departmentIds(value: string): number[] {
  if (value.trim() === 'none') return [];
  const parts = value.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^\d+$/.test(p) || Number(p) < 1 || !Number.isSafeInteger(Number(p)))) {
    throw Invalid.field('department', `${REASON.positive} Give department ids separated by commas, or none.`);
  }
  return parts.map(Number);
}

/** `none` on the command line is JSON's null: the policy's capacity */
const orNull = (value: string | undefined) => (value === 'none' ? null : value);

const UPDATE_FLAGS = ['role', 'department', 'capacity'];

/** apart from the list, so its "nothing to change" hint can name its own usage */
const AGENT_UPDATE: Command = command({
  name: 'agent update',
  summary:
    "Change an agent's role, departments (exactly the ids given, or none) or own routing capacity (none: the policy's); flags not given keep their value.",
  flags: {
    org: int('ID'),
    id: int('AGENT_ID'),
    role: optional(text(AGENT_ROLES.join('|'))),
    department: optional(text('ID,ID…|none')),
    capacity: optional(text('N|none')),
  },
  async run(v, session) {
    if (v.role === undefined && v.department === undefined && v.capacity === undefined) {
      throw new UsageError('Nothing to change.', `Give at least one of --${UPDATE_FLAGS.join(', --')}. ${usageHint(AGENT_UPDATE)}`);
    }
    const { capacity } = v.capacity === undefined ? { capacity: undefined } : agentUpdateBody.parse({ capacity: orNull(v.capacity) });
    const departments = v.department === undefined ? undefined : departmentIds(v.department);
    return updateAgent(await session.database(), systemClock, v.org, v.id, { role: v.role, departments, capacity });
  },
  human: (a, v) =>
    `${describeAgent(a, v.org)}: role ${a.role}, ` +
    `${a.departments.length === 0 ? 'no department' : `departments ${a.departments.join(', ')}`}, ` +
    `capacity ${a.capacity === null ? "the routing policy's" : plural(a.capacity, 'open chat')}.`,
});

export const AGENT_COMMANDS: readonly Command[] = [
  command({
    name: 'agent create',
    summary: 'Create an agent, optionally as a member of a department (handoff department list --org ID gives the ids).',
    flags: {
      org: int('ID'),
      name: text('NAME'),
      email: text('EMAIL'),
      role: text(AGENT_ROLES.join('|')),
      department: optional(int('DEPARTMENT_ID')),
    },
    run: async (v, session) =>
      createAgent(await session.database(), systemClock, {
        orgId: v.org,
        name: v.name,
        email: v.email,
        role: v.role,
        departmentId: v.department,
      }),
    human: (a, v) =>
      `Agent ${a.id} "${a.name}" <${a.email}> created in organization ${v.org} as ${a.role}` +
      (a.departments.length > 0 ? ` (departments: ${a.departments.join(', ')}).` : '.'),
  }),
  command({
    name: 'agent list',
    summary: "List an organization's agents: role, presence, active, open chats, capacity and departments.",
    flags: { org: int('ID') },
    readOnly: true,
    async run(v, session) {
      const { db } = await session.database();
      const agents = await listAgentsWithLoad(db, v.org);
      const names = new Map((await listAllDepartments(db, v.org)).map((d) => [d.id, d.name]));
      return { agents, names };
    },
    toJson: (r) => r.agents,
    human: ({ agents, names }, v) =>
      agents.length === 0
        ? `Organization ${v.org} has no agents. Add one with: handoff agent create --org ${v.org} --name NAME --email EMAIL --role agent`
        : table(
            ['ID', 'NAME', 'EMAIL', 'ROLE', 'PRESENCE', 'ACTIVE', 'OPEN CHATS', 'CAPACITY', 'DEPARTMENTS'],
            agents.map((a) => [
              String(a.id), a.name, a.email, a.role, a.status, a.active ? 'yes' : 'no', String(a.openChats), capacityOf(a),
              a.departments.length === 0 ? '-' : a.departments.map((id) => `${names.get(id) ?? '?'} (${id})`).join(', '),
            ]),
          ),
  }),
  AGENT_UPDATE,
  command({
    name: 'agent deactivate',
    summary: 'Deactivate an agent: still listed, no longer assignable; routing gives their unanswered chats to others after the offline grace.',
    flags: { org: int('ID'), id: int('AGENT_ID') },
    run: async (v, session) => deactivateAgent(await session.database(), systemClock, v.org, v.id),
    toJson: (r) => presentDeactivation(r.agent, r.chatsToRelease),
    human: ({ agent: a, chatsToRelease: n }, v) =>
      `Agent ${a.id} "${a.name}" of organization ${v.org} deactivated; chats can no longer be assigned to them. ` +
      (n === 0 ? 'None of their chats is waiting to be routed to others.' : `${plural(n, 'unanswered chat')} of theirs will be routed to other agents when the offline grace ends.`),
  }),
  command({
    name: 'agent reactivate',
    summary: 'Reactivate a deactivated agent: assignable again, and routing gives them chats as their presence allows.',
    flags: { org: int('ID'), id: int('AGENT_ID') },
    run: async (v, session) => reactivateAgent(await session.database(), systemClock, v.org, v.id),
    toJson: (r) => r.agent,
    human: ({ agent: a, changed }, v) => {
      if (!changed) return `${describeAgent(a, v.org)} is already active.`;
      const presence =
        a.status === 'offline'
          ? `They are offline: set them online with: handoff agent status --org ${v.org} --id ${a.id} --status online`
          : `They are ${a.status}, as before their deactivation${a.status === 'online' ? ': routing may give them chats at once' : ''}.`;
      return `${describeAgent(a, v.org)} reactivated; chats can be assigned to them again. ${presence}`;
    },
  }),
];
