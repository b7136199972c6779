// Who made an assignment and through which door (API.md §4.5 [ext], §5 history rows).
export interface AssignedBy {
  type: 'api_key' | 'agent' | 'system';
  id: number | null;
  name: string;
}

export type AssignmentSource = 'api' | 'inbox' | 'auto' | 'cli';

export const CLI_ACTOR: AssignedBy = { type: 'system', id: null, name: 'cli' };

/** API.md §4.7: every automatic assignment is made by routing */
export const ROUTING_ACTOR: AssignedBy = { type: 'system', id: null, name: 'routing' };
