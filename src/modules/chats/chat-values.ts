// The chat enums of API.md §3 and their input aliases, shared by validation and search.
import type { ChatStatus } from '../../db/schema.ts';
import { lookup, type Lookup } from '../../lib/lookup.ts';

export const CHAT_STATUSES: readonly ChatStatus[] = ['new', 'opened', 'pending', 'onhold', 'no communication', 'closed', 'empty'];

/** API.md §3: `open`→`opened`; `on hold`, `on-hold`→`onhold` */
export const STATUS_ALIASES: Lookup<ChatStatus> = lookup({ open: 'opened', 'on hold': 'onhold', 'on-hold': 'onhold' });

export const RATINGS = ['perfect', 'great', 'average', 'poor', 'very poor'] as const;
export type Rating = (typeof RATINGS)[number];
