// Shared request/response schema pieces (TypeBox → JSON Schema, validated by Fastify/ajv).
import { Type, type TSchema } from '@sinclair/typebox';

/** Free text shown to people: no markup characters and no control characters. */
export const SafeText = (maxLength = 200, minLength = 0) =>
  Type.String({ minLength, maxLength, pattern: '^[^<>\\u0000-\\u001f\\u007f]*$' });
export const Name = SafeText(100, 1);
export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const Coord = Type.Number({ minimum: -1e6, maximum: 1e6 });
export const ErrorBody = Type.Object({ error: Type.String(), message: Type.String() });

export const PageQuery = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  q: Type.Optional(SafeText(100)),
};

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), page: Type.Integer(), pageSize: Type.Integer() });

export const errorResponses = {
  400: ErrorBody,
  401: ErrorBody,
  403: ErrorBody,
  404: ErrorBody,
  409: ErrorBody,
};
