/**
 * Checks one answer of the API against its OpenAPI document: the operation its method and path
 * match is documented, the status is one that operation lists, the content type is one that
 * status lists, the JSON body validates against its schema (ajv, JSON Schema 2020-12 with
 * formats) and the required headers are there. The API harness runs it on every response of every
 * API test, so a document that drifts from the code fails the test that saw the difference.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Json = Record<string, unknown>;

export interface ObservedAnswer {
  method: string;
  /** As requested: path and query string. */
  url: string;
  status: number;
  headers: Headers;
  /** Parsed JSON, or the text when it was not JSON, or undefined when empty. */
  body: unknown;
}

interface Matcher {
  method: string;
  path: string;
  pattern: RegExp;
  /** Literal segments: `/v1/me/cart` wins over a template that would also match. */
  literals: number;
}

const DOCUMENT_ID = 'https://openapi.test/document.json';
const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

export interface Conformance {
  /** The mismatches of `answer` with the document; empty when it conforms. */
  check(answer: ObservedAnswer): string[];
}

export function createConformance(document: Json): Conformance {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // The whole document under one id, so each response schema is compiled by reference and its
  // `#/components/schemas/...` references resolve within it.
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const compiled = new Map<string, ValidateFunction>();
  const validatorAt = (pointer: string): ValidateFunction => {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
      compiled.set(pointer, validate);
    }
    return validate;
  };

  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>;
  const matchers: Matcher[] = Object.entries(paths).flatMap(([path, item]) =>
    Object.keys(item).map((method) => {
      const segments = path.split('/').slice(1);
      const pattern = new RegExp(
        `^/${segments.map((s) => (/^\{.+\}$/.test(s) ? '[^/]+' : s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}$`,
      );
      return {
        method: method.toUpperCase(),
        path,
        pattern,
        literals: segments.filter((s) => !s.startsWith('{')).length,
      };
    }),
  );

  const resolve = (value: Json): Json => {
    const ref = value.$ref;
    if (typeof ref !== 'string') return value;
    let target: unknown = document;
    for (const part of ref.replace(/^#\//, '').split('/')) {
      target = (target as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    return target as Json;
  };

  function checkResponse(pointer: string, response: Json, answer: ObservedAnswer, where: string): string[] {
    const problems: string[] = [];
    for (const [name, header] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
      if (resolve(header).required === true && !answer.headers.has(name)) problems.push(`${where}: no ${name} header`);
    }
    const content = response.content as Record<string, Json> | undefined;
    const mediaType = answer.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (!content) {
      if (answer.body !== undefined && answer.body !== '')
        problems.push(`${where}: a body, where the document describes none`);
      return problems;
    }
    if (!mediaType || !content[mediaType]) {
      problems.push(`${where}: content type ${mediaType ?? '(none)'}, documented: ${Object.keys(content).join(', ')}`);
      return problems;
    }
    const hasBody = answer.method.toUpperCase() !== 'HEAD';
    if (hasBody && (mediaType === 'application/json' || mediaType.endsWith('+json'))) {
      const validate = validatorAt(`${pointer}/content/${escapePointer(mediaType)}/schema`);
      if (!validate(answer.body)) {
        const errors = (validate.errors ?? []).map(
          (e) => `  ${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`,
        );
        problems.push(`${where}: the body does not match its schema:\n${errors.join('\n')}`);
      }
    }
    return problems;
  }

  return {
    check(answer) {
      const method = answer.method.toUpperCase();
      // CORS preflights are the CORS layer's answer to any path, outside the document by nature.
      if (method === 'OPTIONS') return [];
      const path = new URL(answer.url, 'http://api.invalid').pathname;
      const lookup = method === 'HEAD' ? 'GET' : method;
      const match = matchers
        .filter((m) => m.method === lookup && m.pattern.test(path))
        .sort((a, b) => b.literals - a.literals)[0];
      const where = `${method} ${path} answered ${answer.status}`;
      if (!match) {
        // Not an operation of the document: the app-wide 404 is the only documented answer.
        if (answer.status !== 404)
          return [`${where}, but the document has no operation for it (nor is it the app-wide 404)`];
        return checkResponse(
          '/components/responses/RouteNotFound',
          resolve({ $ref: '#/components/responses/RouteNotFound' }),
          answer,
          where,
        );
      }
      const pointer = `/paths/${escapePointer(match.path)}/${match.method.toLowerCase()}/responses/${answer.status}`;
      const responses = paths[match.path]?.[match.method.toLowerCase()]?.responses as Record<string, Json>;
      const response = responses[String(answer.status)];
      if (!response) {
        return [
          `${where}: status ${answer.status} is not documented for ${match.method} ${match.path} (documented: ${Object.keys(responses).join(', ')})`,
        ];
      }
      return checkResponse(pointer, response, answer, `${where} (${match.method} ${match.path})`);
    },
  };
}

const served = new Map<string, Promise<Conformance>>();

/** The conformance check of the document the API at `baseUrl` serves, fetched once per API. */
export function conformanceOf(baseUrl: string): Promise<Conformance> {
  let conformance = served.get(baseUrl);
  if (!conformance) {
    conformance = fetch(`${baseUrl}/openapi.json`).then(async (res) => {
      if (res.status !== 200) throw new Error(`GET /openapi.json answered ${res.status}`);
      return createConformance((await res.json()) as Json);
    });
    served.set(baseUrl, conformance);
  }
  return conformance;
}
