// Response schema of a Department (API.md §3): what departments.presenter.ts answers, for the
// OpenAPI document (src/openapi/).
import { Type } from '@sinclair/typebox';
import { AgentRefSchema } from '../agents/agents.response.ts';

export const DepartmentSchema = Type.Object({ id: Type.Integer(), name: Type.String(), agents: Type.Array(AgentRefSchema) }, { $id: 'Department' });
