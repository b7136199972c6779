// The `handoff` commands of departments: create, list, and who is a member. Department ids are
// numbered across all organizations, so an organization's first department is rarely 1:
// `department list` says which ids are whose.
import { int, text } from './cli-args.ts';
import { command, type Command } from './cli-command.ts';
import { table } from './cli-format.ts';
import { systemClock } from './lib/clock.ts';
import type { AgentRef } from './modules/agents/agents.presenter.ts';
import { addAgentToDepartment, createDepartment, listAllDepartments, removeAgentFromDepartment } from './modules/departments/departments.service.ts';

const members = (agents: AgentRef[]) => (agents.length === 0 ? 'no agents' : agents.map((a) => `${a.name} (${a.id})`).join(', '));
const MEMBERSHIP_FLAGS = { org: int('ID'), department: int('DEPARTMENT_ID'), agent: int('AGENT_ID') };

export const DEPARTMENT_COMMANDS: readonly Command[] = [
  command({
    name: 'department create',
    summary: 'Create a department; use the id it prints (or department list gives) with --department.',
    flags: { org: int('ID'), name: text('NAME') },
    run: async (v, session) => createDepartment(await session.database(), systemClock, { orgId: v.org, name: v.name }),
    human: (d, v) => `Department ${d.id} "${d.name}" created in organization ${v.org}.`,
  }),
  command({
    name: 'department list',
    summary: "List an organization's departments with their ids and members.",
    flags: { org: int('ID') },
    readOnly: true,
    run: async (v, session) => listAllDepartments((await session.database()).db, v.org),
    human: (list, v) =>
      list.length === 0
        ? `Organization ${v.org} has no departments. Create one with: handoff department create --org ${v.org} --name NAME`
        : table(['ID', 'NAME', 'AGENTS'], list.map((d) => [String(d.id), d.name, members(d.agents)])),
  }),
  command({
    name: 'department add-agent',
    summary: 'Make an agent a member of a department: routing offers them its chats.',
    flags: MEMBERSHIP_FLAGS,
    run: async (v, session) => addAgentToDepartment(await session.database(), systemClock, v.org, v.department, v.agent),
    toJson: (r) => r.department,
    human: ({ department: d, changed }, v) =>
      `${changed ? `Agent ${v.agent} added to` : `Agent ${v.agent} was already a member of`} department ${d.id} "${d.name}" of organization ${v.org}. ` +
      `Members: ${members(d.agents)}.`,
  }),
  command({
    name: 'department remove-agent',
    summary: 'Take an agent out of a department: routing no longer offers them its chats (those they have stay theirs).',
    flags: MEMBERSHIP_FLAGS,
    run: async (v, session) => removeAgentFromDepartment(await session.database(), systemClock, v.org, v.department, v.agent),
    toJson: (r) => r.department,
    human: ({ department: d, changed }, v) =>
      `${changed ? `Agent ${v.agent} removed from` : `Agent ${v.agent} was not a member of`} department ${d.id} "${d.name}" of organization ${v.org}. ` +
      `Members: ${members(d.agents)}.`,
  }),
];
