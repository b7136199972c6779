// Response schema of an Application (API.md §3): what applications.presenter.ts answers, for the
// OpenAPI document (src/openapi/).
import { Type } from '@sinclair/typebox';

export const ApplicationSchema = Type.Object(
  { id: Type.Integer(), name: Type.String(), displayName: Type.String(), active: Type.Boolean(), type: Type.String() },
  { $id: 'Application' },
);
