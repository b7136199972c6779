// `handoff agent list|update|reactivate` and `handoff department list|add-agent|remove-agent`,
// in-process on the test's database (both databases; test/helpers/cli.ts). The commands call the
// services the API calls, so routing hears of their changes: the routing jobs are run by hand
// (at the system clock's time, which the CLI's services use) to show what it does with them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../src/assignment/routing/routing-worker.ts';
import type { Database } from '../src/db/database.ts';
import { systemClock } from '../src/lib/clock.ts';
import { freshDatabase, type TestDatabase } from './helpers/app.ts';
import { cliOn } from './helpers/cli.ts';
import { factories } from './helpers/factories.ts';

let fresh: TestDatabase;
let database: Database;
let cli: ReturnType<typeof cliOn>;
let f: ReturnType<typeof factories>;

beforeAll(async () => {
  fresh = await freshDatabase();
  database = fresh.database;
  cli = cliOn(database);
  f = factories(database, systemClock);
});
afterAll(async () => {
  await database.close();
  await fresh.drop();
});

/** an organization made by the CLI, with `names` as departments */
async function organization(name: string, ...departments: string[]) {
  const org = await cli.json(['org', 'create', '--name', name]);
  const ids: number[] = [];
  for (const d of departments) ids.push((await cli.json(['department', 'create', '--org', String(org.id), '--name', d])).id);
  return { ...org, departments: ids, o: String(org.id) };
}
const addAgent = (o: string, name: string, role = 'agent', ...more: string[]) =>
  cli.json(['agent', 'create', '--org', o, '--name', name, '--email', `${name.toLowerCase()}@${o}.example.test`, '--role', role, ...more]);
const row = (agentId: number) => database.db.selectFrom('agents').select(['role', 'capacity', 'active', 'status']).where('id', '=', agentId).executeTakeFirstOrThrow();
const membership = async (agentId: number) =>
  (await database.db.selectFrom('department_agents').select('department_id').where('agent_id', '=', agentId).orderBy('department_id').execute()).map((r) => r.department_id);
const jobs = (agentId: number) => database.db.selectFrom('routing_jobs').select('kind').where('agent_id', '=', agentId).execute();
const assignee = async (chatId: number) => (await database.db.selectFrom('chats').select('assignee_id').where('id', '=', chatId).executeTakeFirstOrThrow()).assignee_id;

describe('agent list', () => {
  it('every agent: role, presence, active, open chats, capacity and departments', async () => {
    const org = await organization('Listed', 'Sales', 'Support');
    const [sales, support] = org.departments;
    const ann = await addAgent(org.o, 'Ann', 'admin', '--department', String(sales));
    const bob = await addAgent(org.o, 'Bob');
    await cli.json(['department', 'add-agent', '--org', org.o, '--department', String(support), '--agent', String(ann.id)]);
    await cli.json(['agent', 'status', '--org', org.o, '--id', String(bob.id), '--status', 'online']);
    await cli.json(['agent', 'capacity', '--org', org.o, '--id', String(bob.id), '--capacity', '3']);
    for (let i = 0; i < 2; i++) await f.chat(org.id, { applicationId: org.applicationId, assignee: ann.id });
    await f.chat(org.id, { applicationId: org.applicationId }); // nobody's
    const eve = await addAgent(org.o, 'Eve', 'agentChatOnly');
    await cli.json(['agent', 'deactivate', '--org', org.o, '--id', String(eve.id)]);

    const list = await cli.json(['agent', 'list', '--org', org.o]);
    const email = (name: string) => `${name.toLowerCase()}@${org.o}.example.test`;
    expect(list).toEqual([
      { id: ann.id, name: 'Ann', email: email('Ann'), role: 'admin', status: 'offline', active: true, departments: [sales, support], capacity: null, openChats: 2 },
      { id: bob.id, name: 'Bob', email: email('Bob'), role: 'agent', status: 'online', active: true, departments: [], capacity: 3, openChats: 0 },
      { id: eve.id, name: 'Eve', email: email('Eve'), role: 'agentChatOnly', status: 'offline', active: false, departments: [], capacity: null, openChats: 0 },
    ]);
    expect(Object.keys(list[0])).toEqual(['id', 'name', 'email', 'role', 'status', 'active', 'departments', 'capacity', 'openChats']);

    const lines = (await cli.run(['agent', 'list', '--org', org.o])).stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID +NAME +EMAIL +ROLE +PRESENCE +ACTIVE +OPEN CHATS +CAPACITY +DEPARTMENTS$/);
    expect(lines.slice(1)).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^${ann.id} +Ann +${email('Ann')} +admin +offline +yes +2 +the policy's +Sales \\(${sales}\\), Support \\(${support}\\)$`));
    expect(lines[2]).toMatch(new RegExp(`^${bob.id} +Bob +${email('Bob')} +agent +online +yes +0 +3 +-$`));
    expect(lines[3]).toMatch(new RegExp(`^${eve.id} +Eve +${email('Eve')} +agentChatOnly +offline +no +0 +the policy's +-$`));
  });

  it('an organization without agents says how to add one; an unknown one exits 1', async () => {
    const org = await organization('Empty');
    expect(await cli.run(['agent', 'list', '--org', org.o])).toEqual({
      code: 0,
      stdout: `Organization ${org.o} has no agents. Add one with: handoff agent create --org ${org.o} --name NAME --email EMAIL --role agent\n`,
      stderr: '',
    });
    expect(await cli.run(['agent', 'list', '--org', '999999'])).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^Organization 999999 not found\./) });
  });
});

describe('agent update', () => {
  it('changes role, departments and capacity at once; the Agent is printed', async () => {
    const org = await organization('Updated', 'Sales', 'Support');
    const ann = await addAgent(org.o, 'Ann');
    const agent = await cli.json(['agent', 'update', '--org', org.o, '--id', String(ann.id), '--role', 'superviser', '--department', org.departments.join(','), '--capacity', '4']);
    expect(agent).toEqual({ ...ann, role: 'superviser', departments: org.departments, capacity: 4 });
    expect(await row(ann.id)).toMatchObject({ role: 'superviser', capacity: 4 });
    expect(await membership(ann.id)).toEqual(org.departments);

    const human = await cli.run(['agent', 'update', '--org', org.o, '--id', String(ann.id), '--department', 'none', '--capacity', 'none']);
    expect(human).toEqual({ code: 0, stdout: `Agent ${ann.id} "Ann" of organization ${org.o}: role superviser, no department, capacity the routing policy's.\n`, stderr: '' });
    expect(await membership(ann.id)).toEqual([]);
    expect(await row(ann.id)).toMatchObject({ role: 'superviser', capacity: null });
  });

  it('refuses a bad role, a department of another organization or a bad list, and changes nothing', async () => {
    const org = await organization('Careful', 'Sales');
    const other = await organization('Other', 'Theirs');
    const ann = await addAgent(org.o, 'Ann', 'agent', '--department', String(org.departments[0]));
    const before = [await row(ann.id), await membership(ann.id)];
    const update = (...flags: string[]) => cli.run(['agent', 'update', '--org', org.o, '--id', String(ann.id), ...flags, '--json']);

    const role = await update('--role', 'boss', '--capacity', '2');
    expect(role).toMatchObject({ code: 1, stdout: '' });
    expect(role.stderr).toContain('  role: The value you selected is not a valid choice.');
    expect(role.stderr).toContain('Usage: handoff agent update --org ID --id AGENT_ID');
    const theirs = await update('--department', `${org.departments[0]},${other.departments[0]}`, '--capacity', '2');
    expect(theirs).toMatchObject({ code: 1, stdout: '' });
    expect(theirs.stderr).toContain(`  department: Department for ID "${other.departments[0]}" was not found`);
    const list = await update('--department', '1,x');
    expect(list).toMatchObject({ code: 1, stdout: '' });
    expect(list.stderr).toContain('  department: This value should be positive. Give department ids separated by commas, or none.');
    const capacity = await update('--capacity', '0');
    expect(capacity.stderr).toContain('  capacity: This value should be positive.');
    expect([await row(ann.id), await membership(ann.id)]).toEqual(before);

    expect(await update()).toMatchObject({ code: 2, stdout: '', stderr: expect.stringContaining('Nothing to change. Give at least one of --role, --department, --capacity.') });
    const unknown = await cli.run(['agent', 'update', '--org', other.o, '--id', String(ann.id), '--role', 'admin']);
    expect(unknown).toEqual({ code: 1, stdout: '', stderr: `Agent ${ann.id} not found. Check --id and --org: the agent must belong to that organization (handoff agent list --org ID).\n` });
  });

  it("joining a department makes routing offer its waiting chats, as the API's changes do", async () => {
    const org = await organization('Routed', 'Sales');
    const [sales] = org.departments;
    await cli.json(['routing', 'set', '--org', org.o, '--strategy', 'round_robin']);
    const bob = await addAgent(org.o, 'Bob');
    await cli.json(['agent', 'status', '--org', org.o, '--id', String(bob.id), '--status', 'online']);
    const chat = await f.chat(org.id, { applicationId: org.applicationId, department: sales });
    await runDueJobs(database, systemClock);
    expect(await assignee(chat.id)).toBeNull(); // Sales has nobody yet

    await cli.json(['agent', 'update', '--org', org.o, '--id', String(bob.id), '--department', String(sales)]);
    await runDueJobs(database, systemClock);
    expect(await assignee(chat.id)).toBe(bob.id);
  });
});

describe('agent reactivate', () => {
  it('an online agent is assignable again at once: the grace timer of their deactivation stops', async () => {
    const org = await organization('Back');
    await cli.json(['routing', 'set', '--org', org.o, '--strategy', 'least_busy']);
    const bob = await addAgent(org.o, 'Bob');
    await cli.json(['agent', 'status', '--org', org.o, '--id', String(bob.id), '--status', 'online']);
    const deactivated = await cli.json(['agent', 'deactivate', '--org', org.o, '--id', String(bob.id)]);
    expect(await jobs(bob.id)).toEqual([{ kind: 'offline_grace' }]);
    const chat = await f.chat(org.id, { applicationId: org.applicationId });
    await runDueJobs(database, systemClock);
    expect(await assignee(chat.id)).toBeNull(); // nobody active

    const agent = await cli.json(['agent', 'reactivate', '--org', org.o, '--id', String(bob.id)]);
    const { chatsToRelease: _, ...before } = deactivated;
    expect(agent).toEqual({ ...before, active: true });
    expect(Object.keys(agent)).toEqual(['id', 'name', 'email', 'role', 'status', 'active', 'departments', 'capacity']);
    expect(await row(bob.id)).toMatchObject({ active: 1, status: 'online' });
    expect(await jobs(bob.id)).toEqual([]);
    await runDueJobs(database, systemClock);
    expect(await assignee(chat.id)).toBe(bob.id);

    expect(await cli.run(['agent', 'reactivate', '--org', org.o, '--id', String(bob.id)])).toEqual({
      code: 0,
      stdout: `Agent ${bob.id} "Bob" of organization ${org.o} is already active.\n`,
      stderr: '',
    });
  });

  it('an offline agent stays offline, and the grace timer keeps running: they are still gone', async () => {
    const org = await organization('Offline');
    await cli.json(['routing', 'set', '--org', org.o, '--strategy', 'round_robin']);
    const ann = await addAgent(org.o, 'Ann');
    await cli.json(['agent', 'deactivate', '--org', org.o, '--id', String(ann.id)]);
    expect(await cli.run(['agent', 'reactivate', '--org', org.o, '--id', String(ann.id)])).toEqual({
      code: 0,
      stdout:
        `Agent ${ann.id} "Ann" of organization ${org.o} reactivated; chats can be assigned to them again. ` +
        `They are offline: set them online with: handoff agent status --org ${org.o} --id ${ann.id} --status online\n`,
      stderr: '',
    });
    expect(await row(ann.id)).toMatchObject({ active: 1, status: 'offline' });
    expect(await jobs(ann.id)).toEqual([{ kind: 'offline_grace' }]);
    expect(await cli.run(['agent', 'reactivate', '--org', org.o, '--id', '999999'])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^Agent 999999 not found\./) });
  });
});

describe('departments', () => {
  it('department ids are numbered across organizations: department list says which are whose', async () => {
    const first = await organization('First', 'Sales');
    const second = await organization('Second', 'Sales', 'Billing');
    expect(second.departments[0]).toBeGreaterThan(first.departments[0]);
    const ann = await addAgent(second.o, 'Ann', 'agent', '--department', String(second.departments[0]));
    const list = await cli.json(['department', 'list', '--org', second.o]);
    expect(list).toEqual([
      { id: second.departments[0], name: 'Sales', agents: [{ id: ann.id, name: 'Ann', email: ann.email, role: 'agent' }] },
      { id: second.departments[1], name: 'Billing', agents: [] },
    ]);
    expect(Object.keys(list[0])).toEqual(['id', 'name', 'agents']);
    const lines = (await cli.run(['department', 'list', '--org', second.o])).stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^ID +NAME +AGENTS$/);
    expect(lines[1]).toMatch(new RegExp(`^${second.departments[0]} +Sales +Ann \\(${ann.id}\\)$`));
    expect(lines[2]).toMatch(new RegExp(`^${second.departments[1]} +Billing +no agents$`));
    // another organization's department id is refused where an organization's own is expected
    const wrong = await cli.run(['agent', 'create', '--org', second.o, '--name', 'Bo', '--email', 'bo@example.test', '--role', 'agent', '--department', String(first.departments[0])]);
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringContaining(`  department: Department for ID "${first.departments[0]}" was not found`) });
    const none = await organization('None');
    expect((await cli.run(['department', 'list', '--org', none.o])).stdout).toBe(`Organization ${none.o} has no departments. Create one with: handoff department create --org ${none.o} --name NAME\n`);
  });

  it('add-agent and remove-agent change one membership and print the Department; again changes nothing', async () => {
    const org = await organization('Members', 'Sales');
    const [sales] = org.departments;
    await cli.json(['routing', 'set', '--org', org.o, '--strategy', 'round_robin']);
    const bob = await addAgent(org.o, 'Bob');
    await cli.json(['agent', 'status', '--org', org.o, '--id', String(bob.id), '--status', 'online']);
    const chat = await f.chat(org.id, { applicationId: org.applicationId, department: sales });
    await runDueJobs(database, systemClock);
    expect(await assignee(chat.id)).toBeNull(); // Sales has nobody yet
    const ref = { id: bob.id, name: 'Bob', email: bob.email, role: 'agent' };
    const membershipArgs = (verb: string) => ['department', verb, '--org', org.o, '--department', String(sales), '--agent', String(bob.id)];

    expect(await cli.json(membershipArgs('add-agent'))).toEqual({ id: sales, name: 'Sales', agents: [ref] });
    expect(await membership(bob.id)).toEqual([sales]);
    await runDueJobs(database, systemClock);
    expect(await assignee(chat.id)).toBe(bob.id); // routing offered Sales' waiting chat to its new member
    expect((await cli.run(membershipArgs('add-agent'))).stdout).toBe(`Agent ${bob.id} was already a member of department ${sales} "Sales" of organization ${org.o}. Members: Bob (${bob.id}).\n`);

    expect(await cli.run(membershipArgs('remove-agent'))).toEqual({
      code: 0,
      stdout: `Agent ${bob.id} removed from department ${sales} "Sales" of organization ${org.o}. Members: no agents.\n`,
      stderr: '',
    });
    expect(await membership(bob.id)).toEqual([]);
    expect(await assignee(chat.id)).toBe(bob.id); // the chat they have stays theirs
    expect(await cli.json(membershipArgs('remove-agent'))).toEqual({ id: sales, name: 'Sales', agents: [] });
    expect((await cli.run(membershipArgs('remove-agent'))).stdout).toContain(`Agent ${bob.id} was not a member of department ${sales}`);
  });

  it("another organization's department or agent is not found, with what to check", async () => {
    const org = await organization('Mine', 'Sales');
    const other = await organization('Yours', 'Theirs');
    const bob = await addAgent(org.o, 'Bob');
    const theirs = await addAgent(other.o, 'Tess');
    const add = (department: number, agent: number) => cli.run(['department', 'add-agent', '--org', org.o, '--department', String(department), '--agent', String(agent)]);
    expect(await add(other.departments[0], bob.id)).toEqual({
      code: 1,
      stdout: '',
      stderr: `Department ${other.departments[0]} not found. Check --department and --org: the department must belong to that organization (handoff department list --org ID).\n`,
    });
    expect(await add(org.departments[0], theirs.id)).toEqual({
      code: 1,
      stdout: '',
      stderr: `Agent ${theirs.id} not found. Check --agent and --org: the agent must belong to that organization (handoff agent list --org ID).\n`,
    });
    expect(await membership(theirs.id)).toEqual([]);
  });
});
