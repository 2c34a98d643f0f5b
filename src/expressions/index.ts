/**
 * The expression language (ADR 0009): JSON Logic plus the operations a municipal form needs,
 * evaluated by the same code on the server and in the browser. Conditions (`when`), validation
 * rules, computed values and defaults in service definitions are expressions; fees and routing
 * call computeValues / evaluate.
 */
export {
  APPLICANT_FACTS,
  APPLICANT_KEY,
  COMPUTED_KEY,
  OPERATIONS,
  computeValues,
  evaluate,
  expressionData,
  holds,
  isAnswered,
  isLegacyCondition,
  normaliseCondition,
  toNumber,
  validateExpression,
  variablesOf,
  weeklyHours,
  type ApplicantFacts,
  type ComputedValue,
  type Expression,
  type ExpressionContext,
  type ExpressionProblem,
  type LegacyCondition,
} from './language.ts';
export { addDays, addMonths, ageInYearOf, ageOn, daysBetween, isIsoDate } from './dates.ts';
export { browserBundle } from './bundle.ts';
