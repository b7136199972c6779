// Response schemas of the organization (API.md §3) and its [ext] inbox settings: what
// organizations.presenter.ts answers, for the OpenAPI document (src/openapi/).
import { Type } from '@sinclair/typebox';

export const OrganizationSchema = Type.Object(
  { id: Type.Integer(), domain: Type.String(), teamOnline: Type.Boolean(), chatEnabled: Type.Boolean() },
  { $id: 'Organization' },
);

export const SettingsSchema = Type.Object({ agentsMayReassign: Type.Boolean() }, { $id: 'OrganizationSettings' });
