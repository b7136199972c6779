// The `handoff` commands of the operator inbox (docs/inbox.md): an agent's sign-in password.
import { int, optional, text } from './cli-args.ts';
import { command, plural, type Command } from './cli-command.ts';
import { systemClock } from './lib/clock.ts';
import { generatePassword } from './lib/password.ts';
import { setAgentPassword } from './modules/sessions/sessions.service.ts';

export const INBOX_COMMANDS: readonly Command[] = [
  command({
    name: 'agent password',
    summary: "Set the agent's inbox password (ends their sessions); without --password a generated one is printed.",
    flags: { org: int('ID'), id: int('AGENT_ID'), password: optional(text('PASSWORD')) },
    async run(v, session) {
      const generated = v.password === undefined ? generatePassword() : null;
      const r = await setAgentPassword(await session.database(), systemClock, v.org, v.id, v.password ?? generated!);
      return { ...r, generated };
    },
    // The Agent, then the generated password (null when --password gave it: never echoed back).
    toJson: (r) => ({ agent: r.agent, generatedPassword: r.generated, sessionsEnded: r.sessionsEnded }),
    human: ({ agent: a, generated, sessionsEnded }, v) =>
      [
        `Password of agent ${a.id} "${a.name}" of organization ${v.org} set` +
          (sessionsEnded > 0 ? `; ${plural(sessionsEnded, 'open session')} ended.` : '.'),
        generated ? `Sign in to the inbox as ${a.email} with the password (shown only now): ${generated}` : `Sign in to the inbox as ${a.email} with that password.`,
        ...(a.active ? [] : ['The agent is deactivated: a deactivated agent cannot sign in.']),
      ].join('\n'),
  }),
];
