/** The definitions a list of cases was submitted under, each read once (ADR 0010: a case keeps its version). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServiceDefinition } from '../catalogue/types.ts';
import type { Case } from './cases.repository.ts';

/** Resolves every distinct service version among `cases`; the answer looks a case's definition up. */
export async function definitionsOfCases(app: FastifyInstance, req: FastifyRequest, cases: readonly Case[]): Promise<(c: Pick<Case, 'serviceId' | 'serviceVersion'>) => ServiceDefinition | undefined> {
  const key = (serviceId: string, version: number) => `${serviceId}\u0000${version}`;
  const pairs = new Map(cases.map((c) => [key(c.serviceId, c.serviceVersion), c]));
  const found = new Map(
    await Promise.all([...pairs].map(async ([k, c]) => [k, await app.serviceVersions.definition(req.tdb, c.serviceId, c.serviceVersion)] as const)),
  );
  return (c) => found.get(key(c.serviceId, c.serviceVersion));
}
