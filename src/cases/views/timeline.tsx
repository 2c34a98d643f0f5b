/** A case's history from its journal, as a resident or a handler reads it. */
import type { ServiceDefinition } from '../../catalogue/types.ts';
import type { JournalEntry } from '../../archive/index.ts';
import { formatDate, pick, type Locale, type Translate } from '../../kernel/i18n/index.ts';
import { safeFilename } from '../file-names.ts';
import { RESIDENT_HIDDEN_BODIES, RESIDENT_HIDDEN_EVENTS } from '../action-kinds/index.ts';
import { actionById } from '../workflow.ts';
import { matterKey } from '../matter.ts';
import { actorWord, internalPart, staffTitle, type StaffReader } from './staff-timeline.ts';

export interface TimelineProps {
  entries: JournalEntry[];
  definition: ServiceDefinition;
  locale: Locale;
  t: Translate;
  audience: 'resident' | 'staff';
  /** Staff names by id (staff view only). */
  staffNames?: Map<string, string>;
  /** The member of staff reading (staff view): the history speaks from their side (staff-timeline.ts). */
  reader?: StaffReader | undefined;
  /** Link to a file of the case. */
  attachmentHref: (id: string) => string;
}


function stateLabel(def: ServiceDefinition, id: unknown, locale: Locale, audience: 'resident' | 'staff'): string {
  const s = def.workflow.states.find((x) => x.id === id);
  if (!s) return String(id ?? '');
  return pick(audience === 'staff' ? (s.staffLabel ?? s.label) : s.label, locale);
}

export function Timeline({ entries, definition, locale, t, audience, staffNames, attachmentHref, reader }: TimelineProps) {
  const visible = entries.filter((e) => audience === 'staff' || !RESIDENT_HIDDEN_EVENTS.has(e.kind));
  return (
    <ol class="mb-timeline">
      {visible
        .slice()
        .reverse()
        .map((e) => {
          const p = e.payload as Record<string, unknown>;
          let title: string;
          // An action of the definition may word its own history entry, for each audience.
          const action = typeof p.action === 'string' ? actionById(definition, p.action) : undefined;
          // Staff read the definition's staff wording only: its `history` speaks to the resident.
          const own = action && (audience === 'staff' ? (reader ? action.staffHistory : (action.staffHistory ?? action.history)) : action.history);
          const forStaff = !own && reader ? staffTitle(t, reader, e) : undefined;
          const decisionTitle = () => pick(definition.decisions.find((d) => d.id === p.type)?.title ?? { sv: String(p.type), en: String(p.type) }, locale);
          const party = p.party && typeof p.party === 'object' ? pick(p.party as { sv: string; en: string }, locale) : '';
          if (own) title = pick(own, locale);
          else if (forStaff) title = forStaff;
          else if (e.kind === 'referred') title = t('event.referred', { party });
          else if (e.kind === 'decision_proposed') title = t('event.decision_proposed', { decision: decisionTitle() });
          else if (e.kind === 'message') title = t(`event.message.${p.direction === 'to_resident' ? 'to_resident' : 'from_resident'}`);
          else if (e.kind === 'decided') title = t('event.decided', { decision: pick(definition.decisions.find((d) => d.id === p.type)?.title ?? { sv: String(p.type), en: String(p.type) }, locale) });
          else if (e.kind.startsWith('co_sign_')) {
            // Named by the definition's label for the co-signer, never by name (a protected identity, ADR 0016).
            const own = definition.coSign?.signerLabel ? pick(definition.coSign.signerLabel, locale) : t('cosign.signer');
            title = t(`event.${e.kind}`, { signer: own.charAt(0).toLowerCase() + own.slice(1) });
          } else if (e.kind === 'status_changed') title = t('event.status_changed', { status: stateLabel(definition, p.to, locale, audience) });
          else if (e.kind === 'submitted' || e.kind === 'withdrawn') title = t(matterKey(`event.${e.kind}`, definition));
          else title = t(`event.${e.kind}`);
          // Named once: a title from the reader's side already says who.
          const who = reader ? (forStaff ? undefined : actorWord(t, reader, e)) : audience === 'staff' && e.actorKind === 'staff' && e.actorId ? staffNames?.get(e.actorId) : undefined;
          const internal = reader ? internalPart(e) : undefined;
          // A transition's text the applicant was not told is the handlers' own (ADR 0029).
          const shown = audience === 'staff' || (!RESIDENT_HIDDEN_BODIES.has(e.kind) && p.bodyInternal !== true);
          const body = shown && typeof p.body === 'string' ? p.body : undefined;
          const files = shown && Array.isArray(p.attachments) ? (p.attachments as { id: string; filename: string; contentType: string }[]) : [];
          return (
            <li key={e.seq} class={internal === 'entry' ? 'mb-timeline__internal' : undefined}>
              {/* A heading per event (under the section's h2): bold text above text is a heading to
                  anyone who sees it, so it is one to a screen reader too (axe p-as-heading). */}
              <h3 class="mb-timeline__title">
                {title}
                {audience === 'staff' && !reader && e.kind === 'assigned' && typeof p.toName === 'string' && `: ${p.toName}`}
              </h3>
              {internal && <p class="mb-timeline__tag">{t(internal === 'entry' ? 'event.staff.internal' : 'event.staff.internalBody')}</p>}
              <p class="mb-timeline__meta">
                <time dateTime={e.recordedAt.toISOString()}>{formatDate(e.recordedAt, locale, true)}</time>
                {who && ` · ${who}`}
              </p>
              {body && <p class="mb-timeline__body">{body}</p>}
              {files.length > 0 && (
                <ul>
                  {files.map((f) => (
                    <li key={f.id}>
                      <a class="ds-link" href={attachmentHref(f.id)}>
                        {safeFilename(f.filename, f.contentType)}
                      </a>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          );
        })}
    </ol>
  );
}
