// Row types of every table, as Kysely sees them. Timestamps are UNIX seconds (integers);
// booleans are stored as 0/1 integers so one schema serves SQLite and PostgreSQL alike.
import type { Generated } from 'kysely';

export type Flag = 0 | 1;

export interface OrganizationTable {
  id: Generated<number>;
  name: string;
  domain: string;
  chat_enabled: Flag;
  /** null = the server default (RATE_LIMIT_PER_MINUTE) */
  rate_limit_per_minute: number | null;
  webhook_signing_key: string;
  created_at: number;
  /**
   * what the organization's active webhook subscriptions want: null (none), '*' (all) or
   * ',name,name,' (migration 0006); kept by modules/webhooks/interest.repository.ts
   */
  webhook_events: Generated<string | null>;
  /** bumped by every new subscription (migration 0006) */
  webhook_generation: Generated<number>;
  /** may plain agents reassign another agent's chat in the inbox (migration 0013) */
  agents_may_reassign: Generated<Flag>;
}

export interface ApiKeyTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  /** the first characters of the key, shown to humans to tell keys apart */
  prefix: string;
  /** SHA-256 of the whole key, hex; the key itself is never stored */
  key_hash: string;
  created_at: number;
  revoked_at: number | null;
  /** when a request last authenticated with it, to the minute (migration 0015); null = never */
  last_used_at: number | null;
}

export type AgentRole = 'admin' | 'superviser' | 'agent' | 'agentChatOnly';
export type Presence = 'online' | 'away' | 'offline';

export interface AgentTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  email: string;
  role: AgentRole;
  active: Flag;
  status: Presence;
  /** opted out of email notifications (GET /v1/agents/{id}/unsubscribe; migration 0003) */
  email_unsubscribed: Generated<Flag>;
  created_at: number;
  /** the agent's own routing capacity; null = the policy's (migration 0011) */
  capacity: Generated<number | null>;
  /** sequence number of the agent's last automatic assignment, for round robin; null = never (0011) */
  last_routed_seq: Generated<number | null>;
  /** the agent's open chats (assigned, not closed), kept by triggers on chats (migration 0012) */
  open_chats: Generated<number>;
  /** scrypt hash `scrypt$N$r$p$salt$hash`; null = cannot sign in to the inbox (migration 0013) */
  password_hash: Generated<string | null>;
}

export interface DepartmentTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  created_at: number;
}

export interface DepartmentAgentTable {
  organization_id: number;
  department_id: number;
  agent_id: number;
}

export interface ApplicationTable {
  id: Generated<number>;
  organization_id: number;
  name: string;
  display_name: string;
  active: Flag;
  type: string;
  created_at: number;
}

export interface CustomerTable {
  id: Generated<number>;
  organization_id: number;
  name: string | null;
  email: string | null;
  user_id: string | null;
  company: string | null;
  phone: string | null;
  first_seen: number | null;
  last_seen: number | null;
  region_code: string | null;
  country_code: string | null;
  city: string | null;
  /** JSON of {id, ip, timezone, platform, userAgent} or null */
  device: string | null;
  unsubscribed: Flag;
  blocked: Flag;
  source: string | null;
  referer: string | null;
  last_page: string | null;
  locale: string | null;
  created_from: string | null;
  integration_id: number | null;
  notes: string | null;
  /** JSON object of scalar values */
  custom_data: string;
  telegram_id: string | null;
  facebook_id: string | null;
  instagram_id: string | null;
  viber_id: string | null;
  whatsapp_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface CustomerTagTable {
  organization_id: number;
  customer_id: number;
  name: string;
  color: string;
}

export type ChatStatus = 'new' | 'opened' | 'pending' | 'onhold' | 'no communication' | 'closed' | 'empty';

export interface ChatTable {
  id: Generated<number>;
  organization_id: number;
  customer_id: number;
  application_id: number | null;
  assignee_id: number | null;
  department_id: number | null;
  status: ChatStatus;
  closed_by: 'customer' | 'agent' | null;
  closed_at: number | null;
  rating: string | null;
  created_at: number;
  updated_at: number;
  last_message_at: number | null;
  last_customer_message_at: number | null;
  read_by_agent: Flag;
  read_by_customer: Flag;
  created_with: string;
  snoozed_until: number | null;
  last_message_text: string | null;
  last_message_id: number | null;
  last_communicated_agent_id: number | null;
  /** when routing found nobody for the chat and it began to wait; null = not queued (migration 0011) */
  queued_at: Generated<number | null>;
}

/** agents who sent at least one message in a chat (Chat.agents), kept as messages arrive */
export interface ChatAgentTable {
  organization_id: number;
  chat_id: number;
  agent_id: number;
  created_at: number;
}

export interface MessageTable {
  id: Generated<number>;
  organization_id: number;
  chat_id: number;
  agent_id: number | null;
  type: string;
  text: string;
  markdown_text: string | null;
  from: 'agent' | 'customer';
  read: Flag;
  edited: Flag;
  broadcast_type: string | null;
  created_at: number;
  updated_at: number;
}

export interface AssignmentTable {
  /** commit order: the history is read back ordered by id */
  id: Generated<number>;
  organization_id: number;
  chat_id: number;
  from_agent_id: number | null;
  to_agent_id: number | null;
  assigned_by_type: 'api_key' | 'agent' | 'system';
  assigned_by_id: number | null;
  assigned_by_name: string;
  source: 'api' | 'inbox' | 'auto' | 'cli';
  reason: string | null;
  /** routing decision trace as JSON, or null */
  trace: string | null;
  created_at: number;
}

export interface OutboxTable {
  /** the event position: monotonically increasing in commit order */
  id: Generated<number>;
  organization_id: number;
  event_id: string;
  event: string;
  /** per-chat delivery order is kept by this key (null for events of no chat) */
  chat_id: number | null;
  event_data: string;
  created_at: number;
  /**
   * 1 until the webhook worker has fanned the event out to subscriptions (migration 0004); written
   * 0 when no active subscription of the organization wants the event (migration 0006)
   */
  webhook_pending: Generated<Flag>;
  /** the organization's webhook_generation when the event was written (migration 0006) */
  webhook_generation: Generated<number>;
}

/** a customer's activity event (POST /v1/events; migration 0003) */
export interface CustomerEventTable {
  id: Generated<number>;
  organization_id: number;
  customer_id: number;
  name: string;
  /** JSON as sent (object or array), or null */
  data: string | null;
  created_at: number;
}

/** a webhook subscription (API.md §4.8; migration 0004) */
export interface WebhookTable {
  id: Generated<number>;
  organization_id: number;
  url: string;
  /** JSON array of event names, or ["*"] */
  events: string;
  active: Flag;
  created_at: number;
  disabled_at: number | null;
  disabled_reason: string | null;
  /** it receives the events written under this generation of its organization or later (migration 0006) */
  since_generation: number;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

/** the delivery queue: one row per (subscription, event) */
export interface WebhookDeliveryTable {
  id: Generated<number>;
  organization_id: number;
  webhook_id: number;
  outbox_id: number;
  chat_id: number | null;
  status: DeliveryStatus;
  /** 1 while an earlier event of the same chat to the same subscription is pending (per-chat order) */
  held: Flag;
  /** attempts made so far */
  attempts: Generated<number>;
  next_attempt_at: number;
  last_attempt_at: number | null;
  /** claimed by a worker until this time (UNIX seconds; 0 = unclaimed) */
  lease_until: Generated<number>;
  lease_owner: string | null;
  created_at: number;
}

export type AttemptStatus = 'pending' | 'delivered' | 'failed' | 'blocked';

/** the delivery log: one row per attempt; the next one is `pending` until it is made */
export interface WebhookAttemptTable {
  id: Generated<number>;
  organization_id: number;
  webhook_id: number;
  delivery_id: number;
  outbox_id: number;
  attempt: number;
  status: AttemptStatus;
  response_code: number | null;
  duration_ms: number | null;
  error: string | null;
  /** when the attempt was made; for a pending one, when it is due */
  created_at: number;
}

/** chats per organization per UTC day of created_at, kept by triggers (migration 0007) */
export interface ChatDayCountTable {
  organization_id: number;
  /** floor(created_at / 86400) */
  day: number;
  chats: number;
}

/** each customer's chats, kept by triggers (migration 0008) */
export interface CustomerChatCountTable {
  customer_id: number;
  chats: number;
}

/** SQLite only (migration 0010): one row, bumped by triggers; see modules/search/totals-cache.ts */
export interface CustomerSearchVersionTable {
  id: number;
  version: number;
}

export type RoutingStrategy = 'manual' | 'round_robin' | 'least_busy';

/** a routing policy (API.md §4.7): department_id 0 is the organization's default (migration 0011) */
export interface RoutingPolicyTable {
  organization_id: number;
  department_id: number;
  strategy: RoutingStrategy;
  capacity: number | null;
  online_only: Flag;
  sticky: Flag;
  reassign_after_minutes: number | null;
  offline_grace_minutes: number;
  updated_at: number;
}

export type RoutingJobKind = 'route' | 'drain' | 'no_reply' | 'offline_grace';

/** work routing owes, due at a time; deleted by the transaction that does it (migration 0011) */
export interface RoutingJobTable {
  id: Generated<number>;
  organization_id: number;
  /** one job per key: scheduling it again moves its time */
  job_key: string;
  kind: RoutingJobKind;
  chat_id: number | null;
  agent_id: number | null;
  due_at: number;
  created_at: number;
}

/** agents who let a chat's no-reply time pass; not offered that chat again (migration 0011) */
export interface ChatRoutingTryTable {
  organization_id: number;
  chat_id: number;
  agent_id: number;
  created_at: number;
}

/** an inbox sign-in (migration 0013); found by the SHA-256 of its cookie */
export interface AgentSessionTable {
  id: Generated<number>;
  organization_id: number;
  agent_id: number;
  token_hash: string;
  csrf_token: string;
  address: string;
  user_agent: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  revoked_at: number | null;
}

/** failed sign-ins in the current window, per `email:…` and per `address:…` (migration 0013) */
export interface SignInFailureTable {
  key: string;
  window_start: number;
  failures: number;
}

/** an open inbox page (its live stream), refreshed while open (migration 0013) */
export interface InboxPageTable {
  id: string;
  organization_id: number;
  agent_id: number;
  seen_at: number;
}

export interface DB {
  organizations: OrganizationTable;
  api_keys: ApiKeyTable;
  agents: AgentTable;
  departments: DepartmentTable;
  department_agents: DepartmentAgentTable;
  applications: ApplicationTable;
  customers: CustomerTable;
  customer_tags: CustomerTagTable;
  customer_events: CustomerEventTable;
  chats: ChatTable;
  chat_agents: ChatAgentTable;
  chat_day_counts: ChatDayCountTable;
  customer_chat_counts: CustomerChatCountTable;
  customer_search_version: CustomerSearchVersionTable;
  messages: MessageTable;
  assignments: AssignmentTable;
  outbox: OutboxTable;
  webhooks: WebhookTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;
  routing_policies: RoutingPolicyTable;
  routing_jobs: RoutingJobTable;
  chat_routing_tries: ChatRoutingTryTable;
  agent_sessions: AgentSessionTable;
  sign_in_failures: SignInFailureTable;
  inbox_pages: InboxPageTable;
}
