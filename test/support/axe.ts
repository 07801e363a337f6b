import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Frame, Page } from 'playwright-core';

const require = createRequire(import.meta.url);
/** axe-core's browser bundle, injected as a script tag into the page under test. */
export const AXE_SCRIPT = require.resolve('axe-core/axe.min.js');

/** What we keep of an axe violation: enough to find and fix it from the assertion message. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  targets: string[];
}

let axeSource: string | undefined;

/** Evaluated in the page (a string: the test tsconfig has no DOM types). Violations only, whole document. */
const RUN_AXE = `window.axe.run(document, { resultTypes: ['violations'] })`;

/** The impacts that fail a test; moderate and minor ones are left for review. */
const FAILING_IMPACTS = new Set(['serious', 'critical']);

/**
 * Injects axe-core into `target` (a page or a frame) and runs it over the whole document. Returns only
 * serious and critical violations.
 */
export async function seriousViolations(target: Page | Frame): Promise<AxeViolation[]> {
  // Evaluated, not added as a <script> tag: the tool's Content-Security-Policy refuses inline scripts, and
  // DevTools evaluation is not subject to it.
  await target.evaluate((axeSource ??= readFileSync(AXE_SCRIPT, 'utf8')));
  const results = (await target.evaluate(RUN_AXE)) as AxeResults;
  const violations: AxeViolation[] = results.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    helpUrl: v.helpUrl,
    targets: v.nodes.map((n) => n.target.map(String).join(' ')),
  }));
  return violations.filter((v) => v.impact !== null && FAILING_IMPACTS.has(v.impact));
}

/** The subset of axe's result shape we read. */
interface AxeResults {
  violations: {
    id: string;
    impact?: string | null;
    help: string;
    helpUrl: string;
    nodes: { target: unknown[] }[];
  }[];
}

/** One line per violation: rule id, impact, help text and the offending selectors. */
export function formatViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `- [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n    ${v.targets.join('\n    ')}`)
    .join('\n');
}

/** A violation accepted for now, outside the client's code: its rule id and a pattern for its selectors. */
export interface KnownIssue {
  id: string;
  target: RegExp;
  /** Where the fix belongs, for the reader of the test. */
  reason: string;
}

/**
 * Throws an assertion error listing every serious or critical violation on `target`, except nodes that
 * match one of `known` (each must name where it gets fixed).
 */
export async function assertNoSeriousViolations(
  target: Page | Frame,
  label: string,
  known: readonly KnownIssue[] = [],
): Promise<void> {
  const violations = (await seriousViolations(target))
    .map((v) => ({ ...v, targets: v.targets.filter((t) => !known.some((k) => k.id === v.id && k.target.test(t))) }))
    .filter((v) => v.targets.length > 0);
  if (violations.length > 0) {
    const error = new Error(
      `${label}: ${violations.length} serious or critical accessibility violation(s):\n${formatViolations(violations)}`,
    );
    error.name = 'AssertionError';
    throw error;
  }
}
