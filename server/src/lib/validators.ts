// Query strings and params arrive as text and are coerced to the schema's types; JSON bodies are
// not: a number where the schema wants a string is a client bug and gets a 400.
import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const base: Options = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false };

function make(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ ...base, coerceTypes });
  addFormats.default(ajv);
  return ajv;
}

const strict = make(false);
const coercing = make('array');

export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? strict : coercing).compile(schema as object) as never;
