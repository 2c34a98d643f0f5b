/**
 * Structured logs (pino through Fastify) with request ids. Personal identity numbers never reach a
 * log. Known fields are redacted; beyond that every string pino is about to write is masked: the
 * message (after interpolation, and when pino takes it from an error), any string at any depth of
 * the logged object, errors with their message, stack, cause and own properties (PostgreSQL's
 * `detail` quotes the failing row), and the request URL. Child-logger bindings are not masked
 * (pino formats them once, without formatters.log): they carry labels and request ids only.
 *
 * It is done with pino's own hooks, not by rewriting the output line: formatters.log copies the
 * logged object with strings masked, each serializer masks what it produces, and the serializer
 * for the message key masks the final message.
 *
 * Access log: one line per request ("request completed": method, route, url, status, ms, tenant,
 * with the request id pino binds as reqId), not Fastify's two (an "incoming request" line and a
 * "request completed" one). Writing a line was a tenth of a form page's server time (ADR 0019);
 * everything the incoming line said is in the completed one. A request that never completes
 * (the client went away) still has its error or stream line from Fastify.
 */
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify';

/**
 * A Swedish personal identity number (or co-ordination number, day + 60): YYYYMMDDNNNN or YYMMDDNNNN,
 * optionally with - or + before the last four digits. Month and day must be plausible, so epoch
 * seconds and other digit runs pass; it must not touch a letter, digit or underscore on either side,
 * so longer numbers and identifiers pass. UUIDs are matched first and left alone (MASKED_OR_KEPT):
 * their groups can look like 19880314-9825 or end in twelve digits.
 */
const PIN_BODY =
  '(?:(?:18|19|20)\\d{2}|\\d{2})(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\\d|3[01]|6[1-9]|[78]\\d|9[01])[-+]?\\d{4}';
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
const MASKED_OR_KEPT = new RegExp(`(${UUID})|(?<!\\w)${PIN_BODY}(?!\\w)`, 'g');
const WHOLE_PIN = new RegExp(`^${PIN_BODY}$`);
const MASK = '[personnummer]';
const SIX_DIGITS = /\d{6}/;

export function maskPins(text: string): string {
  // Every number masked has six digits in a row (its date); most logged strings have none.
  if (!SIX_DIGITS.test(text)) return text;
  return text.replace(MASKED_OR_KEPT, (m, uuid: string | undefined) => (uuid ? m : MASK));
}

// A log line stays cheap: the copy stops where pino's own output would (its default depthLimit 5
// and edgeLimit 100) and after a total number of values; what is cut is replaced, never passed on.
const MAX_DEPTH = 6;
const MAX_ENTRIES = 100;
const MAX_VALUES = 1000;

interface Walk {
  budget: number;
  /** Objects on the current path: a cycle becomes '[Circular]'. */
  path: Set<object>;
}

/** The fields of an error as they are logged: type, message, stack, cause and its own properties. */
function errorFields(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { type: err.constructor.name || err.name, message: err.message, stack: err.stack };
  for (const key of Object.keys(err)) if (!(key in out)) out[key] = (err as unknown as Record<string, unknown>)[key];
  // `cause` and AggregateError's `errors` are not enumerable when set by the constructors.
  if (err.cause !== undefined) out.cause = err.cause;
  if (err instanceof AggregateError) out.errors = err.errors;
  return out;
}

function maskValue(value: unknown, depth: number, w: Walk): unknown {
  if (w.budget-- <= 0) return '[truncated]';
  switch (typeof value) {
    case 'string':
      return maskPins(value);
    case 'number':
      // A PIN stored as a number (e.g. a parsed form field): 10 or 12 digits that read as one.
      return Number.isSafeInteger(value) && value >= 1e9 && WHOLE_PIN.test(String(value)) ? MASK : value;
    case 'bigint':
      return WHOLE_PIN.test(String(value)) ? MASK : value;
    case 'object':
      break;
    default:
      return value;
  }
  if (value === null) return null;
  const obj = value as object;
  if (w.path.has(obj)) return '[Circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(obj) ? '[Array]' : '[Object]';
  w.path.add(obj);
  try {
    if (obj instanceof Error) return maskValue(errorFields(obj), depth, w);
    if (Array.isArray(obj)) {
      const out = obj.slice(0, MAX_ENTRIES).map((v: unknown) => maskValue(v, depth + 1, w));
      if (obj.length > MAX_ENTRIES) out.push(`[${obj.length - MAX_ENTRIES} more]`);
      return out;
    }
    // Dates, URLs, Buffers: what JSON.stringify would write.
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') return maskValue(toJSON.call(obj), depth, w);
    const out: Record<string, unknown> = {};
    const keys = Object.keys(obj);
    for (const key of keys.slice(0, MAX_ENTRIES)) out[maskPins(key)] = maskValue((obj as Record<string, unknown>)[key], depth + 1, w);
    if (keys.length > MAX_ENTRIES) out['…'] = `[${keys.length - MAX_ENTRIES} more]`;
    return out;
  } finally {
    w.path.delete(obj);
  }
}

/** A copy of value with every personal identity number in it masked (bounded in depth and size). */
export function maskDeep(value: unknown): unknown {
  return maskValue(value, 0, { budget: MAX_VALUES, path: new Set() });
}

interface LoggedRequest {
  method: string;
  url: string;
  id: string;
  hostname?: string;
}

/** The err serializer's result as Fastify types it (a value that is no error comes out masked but as it is). */
type LoggedError = { type: string; message: string; stack: string; [key: string]: unknown };

// Fastify adds its own req, res and err serializers unless given these keys; formatters.log skips the
// keys with a serializer, since the serializer sees the raw value (a request, a reply) and masks its output.
const serializers = {
  req: (req: LoggedRequest) => ({ method: req.method, url: maskPins(req.url), id: req.id, host: req.hostname === undefined ? undefined : maskPins(req.hostname) }),
  res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
  err: (err: Error) => maskDeep(err) as LoggedError,
  // pino runs the serializer of its message key on the final message: after %s interpolation, and
  // also when it takes the message from a logged error.
  msg: (msg: unknown) => (typeof msg === 'string' ? maskPins(msg) : maskDeep(msg)),
};
const SERIALIZED = new Set(Object.keys(serializers));

function maskLogObject(obj: Record<string, unknown>): Record<string, unknown> {
  const w: Walk = { budget: MAX_VALUES, path: new Set() };
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    if (SERIALIZED.has(key)) out[key] = obj[key];
    else out[maskPins(key)] = maskValue(obj[key], 0, w);
  }
  return out;
}

export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.personalNumber', '*.personal_number', '*.pin', 'personalNumber', 'pin'],
      censor: '[redacted]',
    },
    serializers,
    formatters: { log: maskLogObject },
  };
}

/**
 * Fastify's request lines, one per request (see the header comment). Error, not-found and stream
 * lines are Fastify's own.
 */
export class AccessLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const tenant = (req as { tenant?: { id: string } | null }).tenant;
    const line = {
      method: req.method,
      // The route's pattern (/apply/:draftId/:stepId) groups requests; the url says which one (masked).
      route: req.routeOptions.url,
      url: req.url,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
      tenant: tenant ? tenant.id : undefined,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}
