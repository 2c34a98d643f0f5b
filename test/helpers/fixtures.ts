/** Small, valid objects for tests that need a service or a case without the whole catalogue. */
import type { ServiceDefinition } from '../../src/catalogue/types.ts';

export function minimalService(overrides: Partial<ServiceDefinition> = {}): ServiceDefinition {
  const l = (s: string) => ({ sv: s, en: s });
  return {
    id: 'test-service',
    tenant: 'norrby',
    engines: ['apply'],
    skl: null,
    department: 'education',
    audience: ['eid'],
    title: l('Testtjänst'),
    summary: l('Sammanfattning'),
    needs: [],
    duration: l('5 min'),
    handlingTime: l('1 vecka'),
    decidedBy: l('Handläggare'),
    whatHappensNext: l('Vi hör av oss'),
    reference: { prefix: 'TST' },
    form: { steps: [{ id: 's1', title: l('Steg'), fields: [{ id: 'name', kind: 'text', label: l('Namn') }] }] },
    workflow: {
      initial: 'submitted',
      states: [
        { id: 'submitted', label: l('Inkommen'), deadlineDays: 5 },
        { id: 'in_progress', label: l('Pågår') },
        { id: 'decided', label: l('Beslutad'), final: true },
        { id: 'withdrawn', label: l('Återkallad'), final: true },
      ],
      transitions: [
        { from: ['submitted'], to: 'in_progress', action: 'assign' },
        { from: ['submitted', 'in_progress'], to: 'decided', action: 'decide' },
        { from: ['submitted', 'in_progress'], to: 'withdrawn', action: 'withdraw' },
      ],
    },
    decisions: [{ id: 'ok', title: l('Bifall'), outcome: 'approved', fields: [], letter: l('Bifall') }],
    retention: '10y',
    classification: 'internal',
    source: 'test',
    ...overrides,
  };
}
