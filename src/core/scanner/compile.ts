/**
 * The compile stage: rules (checked by `validateRule`) and stored keys become the prefilter's
 * keyword targets and, per prefilter state, what a hit there triggers: which pattern rules, whether
 * the assignment, block and stored-key matchers run, how far a long line's window reaches past it,
 * and whether every rule it triggers needs text that its own line must hold. How a set of pattern
 * rules is encoded (a list of rule numbers per prefilter state, so their number is unbounded) is
 * this module's alone: the other stages ask `patternRules`, `triggers`, `reach` and `lineBound`.
 */
import { PAIR_LOOKAHEAD_LINES } from './assignments';
import { KeywordAutomaton, KeywordTarget, STORED_KEY_BIT } from './prefilter';
import type { AssignmentRule, BlockRule, ExtraSecret, PatternRule, Rule } from './types';

/**
 * How far past its keyword a secret may start: the rest of a name, spaces, separators, a type
 * annotation, quotes, a URL's user. A window reaches this plus the longest value the hit's rules
 * accept, so no secret is cut off at its end.
 */
const VALUE_LEAD = 512;
/** A stored key is indexed by this many leading characters; shorter stored values are not matched. */
const STORED_KEY_PREFIX = 8;

/** `triggers` flags: the matchers that a hit runs besides its pattern rules. */
export const ASSIGNMENT = 1;
export const BLOCK = 2;
export const STORED_KEY = 4;

/**
 * What a keyword triggers, in the prefilter's terms: each pattern rule by its number (its `order`,
 * in the automaton's per-state lists), all assignment rules by one flag (the name decides which
 * one judges) and the block rule by another; the automaton sets STORED_KEY_BIT itself.
 */
const ASSIGNMENT_BIT = 1 << 0;
const BLOCK_BIT = 1 << 1;

export interface CompiledPattern {
  readonly rule: PatternRule;
  /** The rule's index in the rule list, which is its priority: the lower wins an overlap. */
  readonly priority: number;
  /** Its index among the pattern rules, for state kept per pattern rule. */
  readonly order: number;
}

export interface RankedRule<R extends Rule> {
  readonly rule: R;
  readonly priority: number;
}

/** Throws for a rule the engine would otherwise run wrongly or never: each stage relies on these. */
export function validateRule(rule: Rule): void {
  const problem = ruleProblem(rule);
  if (problem !== undefined) throw new Error(`scanner rule '${rule.id}': ${problem}`);
}

function ruleProblem(rule: Rule): string | undefined {
  if (rule.keywords.length === 0) return 'has no keywords, so it would never run';
  const keyword = rule.keywords.find((candidate) => candidate === '' || candidate !== candidate.toLowerCase());
  if (keyword !== undefined) return `keyword '${keyword}' is not a lowercase, non-empty string (the prefilter compares lowercase text)`;
  if (rule.kind !== 'pattern') return undefined;
  if (!rule.pattern.hasIndices || !rule.pattern.global) return `pattern /${rule.pattern.source}/${rule.pattern.flags} needs the flags d and g`;
  // Read from the source, not by running a copy of the pattern: compiling some 200 rules' patterns
  // would cost every start (a pre-commit hook's included) more than the rest of this stage.
  if (!SECRET_GROUP.test(rule.pattern.source)) return 'pattern has no (?<secret>…) group';
  return undefined;
}

/** `(?<secret>` not escaped: preceded by an even number of backslashes. */
const SECRET_GROUP = /(?<!\\)(?:\\\\)*\(\?<secret>/;

export class CompiledRules {
  readonly automaton: KeywordAutomaton<ExtraSecret>;
  readonly patterns: readonly CompiledPattern[];
  /** In rule order: the first whose names match a name judges its value. */
  readonly assignments: readonly RankedRule<AssignmentRule>[];
  readonly block: RankedRule<BlockRule> | undefined;
  /**
   * Lines around a hit that the matchers and passes may read: pair lookahead, a pattern's context
   * lines, the suppression comment on the line above, and one spare. An editor re-scans this many
   * lines around an edit.
   */
  readonly contextLines: number;
  /** Per prefilter state: ASSIGNMENT, BLOCK and STORED_KEY flags. */
  readonly triggers: Uint8Array;
  /** Per prefilter state: how far past a hit there a long line's window reaches. */
  readonly reach: Int32Array;
  /**
   * Per prefilter state: when every rule a hit there triggers is a pattern rule with `mustContain`
   * and no context lines (it can only match within the hit's line), those rules; else undefined.
   */
  readonly lineBound: readonly (readonly CompiledPattern[] | undefined)[];
  /** Per prefilter state: the pattern rules a hit there triggers, in priority order. */
  private readonly byState: readonly (readonly CompiledPattern[])[];
  /** Per pattern rule: the last `patternRules` call that took it, so a window's union needs no set. */
  private readonly taken: Int32Array;
  private call = 0;

  constructor(
    readonly rules: readonly Rule[],
    extraSecrets: readonly ExtraSecret[],
  ) {
    rules.forEach(validateRule);
    const targets: KeywordTarget<ExtraSecret>[] = [];
    const patterns: CompiledPattern[] = [];
    const assignments: RankedRule<AssignmentRule>[] = [];
    let block: RankedRule<BlockRule> | undefined;
    rules.forEach((rule, priority) => {
      let bit: number;
      if (rule.kind === 'pattern') {
        const order = patterns.push({ rule, priority, order: patterns.length }) - 1;
        for (const keyword of rule.keywords) targets.push({ keyword, rules: 0, patterns: [order] });
        return;
      } else if (rule.kind === 'assignment') {
        bit = ASSIGNMENT_BIT;
        assignments.push({ rule, priority });
      } else {
        bit = BLOCK_BIT;
        block ??= { rule, priority };
      }
      for (const keyword of rule.keywords) targets.push({ keyword, rules: bit });
    });
    for (const secret of extraSecrets) {
      if (secret.value.length >= STORED_KEY_PREFIX) targets.push({ keyword: secret.value.slice(0, STORED_KEY_PREFIX), rules: 0, extra: secret });
    }
    this.automaton = new KeywordAutomaton(targets);
    this.patterns = patterns;
    this.assignments = assignments;
    this.block = block;
    const masks = this.automaton.ruleMask;
    const { patternStart, patternList } = this.automaton;
    // Most states trigger no pattern rule: they share one empty list.
    const none: readonly CompiledPattern[] = [];
    this.byState = Array.from(masks, (_, state) =>
      patternStart[state] === patternStart[state + 1]
        ? none
        : Array.from(patternList.subarray(patternStart[state], patternStart[state + 1]), (order) => patterns[order] as CompiledPattern),
    );
    this.taken = new Int32Array(patterns.length);
    this.contextLines = 1 + Math.max(1, PAIR_LOOKAHEAD_LINES, ...patterns.map(({ rule }) => rule.contextLines ?? 0));
    this.triggers = Uint8Array.from(
      masks,
      (mask) => ((mask & ASSIGNMENT_BIT) !== 0 ? ASSIGNMENT : 0) | ((mask & BLOCK_BIT) !== 0 ? BLOCK : 0) | ((mask & STORED_KEY_BIT) !== 0 ? STORED_KEY : 0),
    );
    // Any assignment rule may judge a name; private keys and stored keys are read from the text, past any window.
    const longestAssigned = Math.max(0, ...assignments.map(({ rule }) => rule.value.maxLength));
    this.reach = Int32Array.from(
      masks,
      (mask, state) =>
        VALUE_LEAD +
        (this.byState[state] ?? []).reduce((longest, { rule }) => Math.max(longest, rule.value.maxLength), (mask & ASSIGNMENT_BIT) !== 0 ? longestAssigned : 0),
    );
    const isLineBound = ({ rule }: CompiledPattern): boolean => rule.mustContain !== undefined && !rule.contextLines;
    this.lineBound = this.byState.map((rules, state) => ((masks[state] as number) === 0 && rules.every(isLineBound) ? rules : undefined));
  }

  /** The pattern rules that hits in any of `states` trigger, each once, in priority order. */
  patternRules(states: readonly number[]): readonly CompiledPattern[] {
    const first = this.byState[states[0] as number] ?? [];
    if (states.every((state) => this.byState[state] === first)) return first;
    const call = ++this.call;
    const union: CompiledPattern[] = [];
    for (const state of states) {
      for (const pattern of this.byState[state] ?? []) {
        if (this.taken[pattern.order] === call) continue;
        this.taken[pattern.order] = call;
        union.push(pattern);
      }
    }
    return union.sort((a, b) => a.order - b.order);
  }
}
