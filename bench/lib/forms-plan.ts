/**
 * The parts of bench:forms that decide what to measure and read wrk's answer, apart from the
 * processes, so a smoke test can check them: which step (the one with the most fields, by
 * definition data), a valid posted answer to it (each field kind's own example), the request
 * file wrk's script reads, and wrk's result line.
 */
import { hasForm } from '../../src/catalogue/engines.ts';
import type { Catalogue } from '../../src/catalogue/index.ts';
import type { Field, ServiceDefinition, Step } from '../../src/catalogue/types.ts';
import { conditionalOnStep, isShown, kindOf, readStepAnswers, type ExampleContext, type PostedForm } from '../../src/forms/index.tsx';

/** The serving-licence service: the choice, used when a tenant offers it. */
export const PREFERRED_SERVICE = 'serveringstillstand';

export interface Choice {
  tenant: string;
  service: ServiceDefinition;
  step: Step;
  fields: number;
}

/** Fields of a step, sub-fields of a group counted one by one (what a resident fills in). */
export function countFields(fields: readonly Field[]): number {
  return fields.reduce((n, f) => n + ('fields' in f && Array.isArray(f.fields) ? countFields(f.fields as Field[]) : 1), 0);
}

/**
 * Whether the bench cannot answer a step: files are a multipart upload, which it does not send; a
 * case reference is chosen among the applicant's earlier cases, and a property among the properties
 * the property register says the applicant owns, neither of which its residents have; and a step's
 * own rules (a date two weeks ahead, say) are not known to the kinds' examples.
 */
export function benchCannotAnswer(step: Step): boolean {
  const cannot = (fields: readonly Field[]): boolean =>
    fields.some((f) => f.kind === 'file' || f.kind === 'caseReference' || f.kind === 'property' || ('fields' in f && Array.isArray(f.fields) && cannot(f.fields as Field[])));
  return Boolean(step.rules?.length) || cannot(step.fields);
}

/**
 * The step to measure (never one it cannot answer, unless named): the one named, else the step with the most fields of the service named,
 * else of the serving-licence service where a tenant offers it, else of every enabled service
 * with a form (ties: the first in catalogue order).
 */
export function chooseStep(catalogue: Catalogue, tenantIds: readonly string[], want: { tenant?: string; service?: string; step?: string }): Choice {
  const candidates: Choice[] = [];
  for (const tenant of want.tenant ? [want.tenant] : tenantIds) {
    for (const service of catalogue.services(tenant)) {
      if (!hasForm(service)) continue;
      if (want.service && service.id !== want.service) continue;
      for (const step of service.form.steps) {
        if (want.step ? step.id !== want.step : benchCannotAnswer(step)) continue;
        candidates.push({ tenant, service, step, fields: countFields(step.fields) });
      }
    }
  }
  const preferred = want.service ? candidates : candidates.filter((c) => c.service.id === PREFERRED_SERVICE);
  const pool = preferred.length ? preferred : candidates;
  if (!pool.length) throw new Error(`no step to measure for ${JSON.stringify(want)}`);
  return pool.reduce((best, c) => (c.fields > best.fields ? c : best));
}

/**
 * A valid answer to the step, from each kind's own example, as the page posts it with its browser
 * enhancement: a question conditional on another on the step (ADR 0026) is revealed and posted,
 * with "_asked", when its condition holds for the examples, and left out when it does not. Without
 * "_asked" the answer would lead to the step's follow-up page, not to the next step.
 */
export function validAnswer(def: ServiceDefinition, step: Step, ctx: ExampleContext): PostedForm {
  const form: PostedForm = {};
  for (const field of step.fields) Object.assign(form, kindOf(field).exampleValid(field, ctx));
  const conditional = new Set(conditionalOnStep(step, def));
  if (!conditional.size) return form;
  const body = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) && v.length === 1 ? v[0] : v]));
  const answers = readStepAnswers(step, body);
  const revealed = step.fields.filter((f) => conditional.has(f) && isShown(f, step, answers, ctx.today, def));
  for (const f of conditional) {
    if (revealed.includes(f)) continue;
    for (const name of Object.keys(form)) if (name === f.id || name.startsWith(`${f.id}.`) || name.startsWith(`${f.id}[`)) delete form[name];
  }
  return revealed.length ? { ...form, _asked: revealed.map((f) => f.id) } : form;
}

/** application/x-www-form-urlencoded, repeated names kept. */
export function encodeForm(form: PostedForm): string {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return body.toString();
}

export interface WrkRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

/** One request a line for bench/lib/wrk-requests.lua: method, path, body, then name=value headers, tab-separated. */
export function wrkRequestFile(requests: readonly WrkRequest[]): string {
  for (const r of requests) {
    for (const part of [r.path, r.body ?? '', ...Object.entries(r.headers).flat()]) {
      if (/[\t\n\r]/.test(part)) throw new Error(`a request part has a tab or a line break: ${JSON.stringify(part)}`);
    }
  }
  return requests.map((r) => [r.method, r.path, r.body ?? '', ...Object.entries(r.headers).map(([k, v]) => `${k}=${v}`)].join('\t')).join('\n') + '\n';
}

export interface WrkResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
}

/** The line wrk-requests.lua's done() prints ("WRKJSON {...}"), among wrk's own output. */
export function parseWrk(stdout: string): WrkResult {
  const line = stdout.split('\n').find((l) => l.startsWith('WRKJSON '));
  if (!line) throw new Error(`no WRKJSON line in wrk's output:\n${stdout}`);
  const r = JSON.parse(line.slice('WRKJSON '.length)) as Record<string, number>;
  const seconds = r.duration_us! / 1e6;
  const errors = r.connect! + r.read! + r.write! + r.status! + r.timeout!;
  return { requests: r.requests!, seconds, perSecond: r.requests! / seconds, p50Ms: r.p50_us! / 1000, p99Ms: r.p99_us! / 1000, maxMs: r.max_us! / 1000, errors };
}

/** Several wrk processes at once (one per node): rates add up; p50 weighted by requests, p99 and max the worst. */
export function combine(results: readonly WrkResult[]): WrkResult {
  const requests = results.reduce((n, r) => n + r.requests, 0);
  return {
    requests,
    seconds: Math.max(...results.map((r) => r.seconds)),
    perSecond: results.reduce((n, r) => n + r.perSecond, 0),
    p50Ms: results.reduce((n, r) => n + r.p50Ms * r.requests, 0) / (requests || 1),
    p99Ms: Math.max(...results.map((r) => r.p99Ms)),
    maxMs: Math.max(...results.map((r) => r.maxMs)),
    errors: results.reduce((n, r) => n + r.errors, 0),
  };
}

/**
 * The i-th of Skatteverket's reserved test personal identity numbers (birth numbers 980–999, which
 * no real person has), born from 1990-01-01 on: 20 a day, Luhn check digit included.
 */
export function testPersonalNumber(i: number): string {
  const born = new Date(Date.UTC(1990, 0, 1) + Math.floor(i / 20) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const nine = `${born.slice(2)}${980 + (i % 20)}`;
  let sum = 0;
  for (let k = 0; k < 9; k++) {
    const d = Number(nine[k]) * (k % 2 === 0 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return `${born}${980 + (i % 20)}${(10 - (sum % 10)) % 10}`;
}
