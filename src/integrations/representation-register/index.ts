/**
 * The representation register integration (gode män, förvaltare, powers of attorney): its contract
 * and demo adapter. It is one of the registers `app.registers` routes per tenant (../registers).
 */
export { REPRESENTATION_KINDS, type Representation, type RepresentationKind, type RepresentationRegister } from './base.ts';
export { DemoRepresentationRegister, loadDemoRepresentations, DemoRepresentationDataError, DEMO_REPRESENTATIONS_FILE } from './demo-adapter.ts';
