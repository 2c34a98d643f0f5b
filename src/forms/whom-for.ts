/**
 * What the pages asked before a form share — "which organisation?" (ADR 0015) and "who is the
 * application for?" (ADR 0033): the routes they are given, and the signed-in resident they ask.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServiceDefinition } from '../catalogue/types.ts';
import type { Resident } from '../identity/eid/index.ts';
import { currentApplicant, type Applicant } from './applicant.ts';
import type { ActingFor } from './drafts.repository.ts';
import type { CompiledService } from './validator.ts';

/** Starts a draft of the service for the applicant, acting for someone or not; returns where its first page is. */
export type StartDraft = (req: FastifyRequest, c: CompiledService, applicant: Applicant, actingFor?: ActingFor) => Promise<string>;

export interface WhomForDeps {
  serviceOf: (req: FastifyRequest, serviceId: string) => CompiledService;
  startDraft: StartDraft;
}

/**
 * The service of the route and the resident signed in with e-ID who is applying (the registers are
 * asked who this person is). Undefined when the reply is already on its way: to the application's
 * start where the service does not ask this question, to sign-in without e-ID, or the applicant
 * check's own answer.
 */
export async function residentApplying(
  req: FastifyRequest,
  reply: FastifyReply,
  deps: WhomForDeps,
  asksThis: (def: ServiceDefinition) => boolean,
): Promise<{ c: CompiledService; applicant: Applicant; resident: Resident } | undefined> {
  const c = deps.serviceOf(req, (req.params as { serviceId: string }).serviceId);
  if (!asksThis(c.definition)) {
    reply.redirect(`/services/${c.definition.id}/apply`, 303);
    return undefined;
  }
  const applicant = await currentApplicant(req, reply, c.definition.audience);
  if (!applicant) return undefined;
  if (!applicant.resident) {
    reply.redirect(`/sign-in?back=${encodeURIComponent(req.url)}`, 303);
    return undefined;
  }
  return { c, applicant, resident: applicant.resident };
}
