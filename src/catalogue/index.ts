/**
 * The service catalogue: each municipality's services as YAML definitions validated against a JSON
 * Schema, plus the registers their fields offer (e.g. pre-schools). Other modules use `app.catalogue`
 * (or a Catalogue from loadCatalogue) and import only from this file.
 */
export type {
  Audience,
  LinkService,
  ListedService,
  Choice,
  ChildField,
  ChoiceField,
  Condition,
  DateField,
  DecisionField,
  DecisionType,
  Engine,
  Field,
  RankedChoiceField,
  AllocationSpec,
  AllocationPriority,
  RegisterEntry,
  ServiceDefinition,
  Handling,
  StaffRoleSpec,
  SubjectKind,
  SubjectSpec,
  Step,
  TextField,
  Transition,
  Workflow,
  WorkflowAction,
  ActionDef,
  ActionKind,
  ActionActor,
  ActionNotification,
  MessageTemplate,
  Matter,
  DecisionOutcome,
  WorkflowState,
  YesNoField,
} from './types.ts';
export { loadCatalogue, catalogueOf, type Catalogue } from './catalogue.ts';
export { FORM_ENGINES, hasForm } from './engines.ts';
export { CatalogueError, formatProblem, readCatalogue, type Problem, type ReadOptions, type Register, type TenantCatalogue } from './loader.ts';
export { serviceDefinitionSchema, linkServiceSchema, registerFileSchema, LETTER_PLACEHOLDERS } from './schema.ts';
export { ACTION_KINDS, MATTERS, MESSAGE_PLACEHOLDERS, ENGINE_TEMPLATES, actionsOf, normaliseActions, defaultActor, defaultNotifications } from './workflow-actions.ts';
export { SITUATIONS, isSituation, servicesBySituation, situationName, type Situation } from './situations.ts';
export { AREAS, DEFAULT_AREA, areaName, areaOf, isArea, servicesByArea, type Area } from './areas.ts';
export { cataloguePlugin, type CataloguePluginOptions, type ServicePageNotice } from './plugin.tsx';
export { ServiceCards, SituationLinks } from './views.tsx';
export { subjectLabel } from './subject.ts';
export { entryName } from './entry-name.ts';
export { decidingBody } from './decider.ts';
export { checkCatalogueCommand, checkCatalogueVersionsCommand, listCatalogueCommand, type CatalogueListing, type CliOutput } from './cli.ts';
export {
  checkDefinitionVersions,
  definitionHash,
  definitionVersions,
  storeDefinitionVersions,
  strandedCases,
  versionOf,
  type DefinitionVersions,
  type Stranded,
} from './versions.ts';
export { mergeDefinition, type MergeResult } from './overrides.ts';
export { CHOICE_FACTS, CHOICE_KEY, MAX_ALLOCATION_MERIT } from './allocation-checks.ts';
