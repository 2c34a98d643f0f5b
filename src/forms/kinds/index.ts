/**
 * Field kinds: one module per kind (text.tsx, number.tsx, group.tsx, ...), each declaring its
 * definition options, how a posted form becomes its answer, its validation, its rendering, how it
 * reads as text (check your answers, case pages, receipt) and examples for generated tests.
 * This is the front door; see types.ts for the contract and docs/adr/0013-field-kinds.md.
 */
export { allKinds, kindOf, isBlankFor, asksAsGroup, displayAnswer, renderField } from './registry.ts';
export { applyGroupAction, parseGroupAction, itemsOf, isShownInItem } from './group.tsx';
export { eligible as eligibleChildren, isTooOld } from './child.tsx';
export { parseIdentityNumber, parseOrganisationNumber } from './identity-numbers.tsx';
export { parseNumber, parseOre } from './number.tsx';
export { parseTime } from './time.tsx';
export { fileLimits, fileRefs, parseFileAction, formatSize, typeList, FILE_TYPES, type FileRef } from './file.tsx';
export { inputId, isBlankValue } from './shared.tsx';
export { offeredCases } from './case-reference.tsx';
export { foundProperty } from './property.tsx';
export { parseDegrees, insideBounds } from './location.tsx';
export type { PropertyOption, MapSettings, EarlierCaseOption, ChildOption, DisplayContext, ExampleContext, FieldKind, FieldProblem, PostedForm, PrefillSource, RenderContext, RuleContext, TemplateHoles, ValidationContext } from './types.ts';
