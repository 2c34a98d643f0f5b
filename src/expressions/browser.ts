/**
 * The browser bundle's entry (bundle.ts builds it with esbuild): the same evaluator the server
 * runs, published for kernel/html/enhance.js as `window.medborgExpressions`.
 */
import { computeValues, evaluate, expressionData, holds } from './language.ts';

(globalThis as unknown as { medborgExpressions: unknown }).medborgExpressions = { evaluate, holds, computeValues, expressionData };
