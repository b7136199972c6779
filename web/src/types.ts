// The wire shapes the inbox reads (the HelpCrunch API v1 as Handoff serves it). Timestamps
// arrive as strings of UNIX seconds, or null.

export type Role = 'admin' | 'superviser' | 'agent' | 'agentChatOnly';
export type Presence = 'online' | 'away' | 'offline';

export interface AgentRef {
  id: number;
  name: string;
  email: string;
  role: Role;
}

export interface Agent extends AgentRef {
  status: Presence;
  active: boolean;
  departments: number[];
}

/** GET /v1/inbox/agents: an agent with their current load (capacity when the server knows it) */
export interface InboxAgent extends Agent {
  openChats: number;
  capacity?: number | null;
}

export interface Chat {
  id: number;
  status: string;
  createdAt: string | null;
  lastMessageAt: string | null;
  lastMessageText: string | null;
  snoozedUntil: string | null;
  readByAgent: boolean;
  customer: { id: number; name: string | null; email: string | null; userId: string | null };
  assignee: AgentRef | null;
  department: { id: number; name: string } | null;
}

export interface Message {
  id: number;
  agent: AgentRef | null;
  type: string;
  text: string | null;
  createdAt: string | null;
  from: 'agent' | 'customer';
}

export interface Department {
  id: number;
  name: string;
}

export interface Candidate {
  agent: AgentRef;
  load: number;
  capacity: number | null;
  excluded: string | null;
}

export interface RoutingTrace {
  policy: Record<string, unknown> | string | null;
  candidates: Candidate[];
  winner: AgentRef | null;
}

export interface Assignment {
  id: number;
  chat: number;
  from: AgentRef | null;
  to: AgentRef | null;
  assignedBy: { type: 'api_key' | 'agent' | 'system'; id: number | null; name: string };
  source: 'api' | 'inbox' | 'auto' | 'cli' | string;
  reason: string | null;
  createdAt: string | null;
  trace?: RoutingTrace;
}

/** POST and GET /v1/inbox/session */
export interface Session {
  agent: Agent;
  organization: { id: number; name: string };
  csrfToken: string;
  settings: { agentsMayReassign: boolean };
}

export interface List<T> {
  data: T[];
  meta?: { total: number };
  total?: number;
}
