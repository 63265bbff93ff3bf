import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { BACK, stepTitle, type Back, type InputOptions, type PickOptions, type Prompts, type StepOptions } from '../../src/extension/prompts';

/** One expected question and the user's answer to it; `back` presses a step's Back button. */
export type Answer =
  | { pick: string | undefined }
  | { pickMany: string[] | undefined }
  | { input: string | undefined; expectProblem?: RegExp }
  | { back: true }
  | { confirm: boolean }
  | { notify: string | undefined };

/**
 * Answers the extension's questions as a user would, in order, and fails the test on any question it
 * did not expect. Inputs go through the command's own `validateInput`, as the real input box does:
 * an answer the box would refuse fails the test unless `expectProblem` names the refusal.
 */
export class ScriptedPrompts implements Prompts {
  readonly notifications: Array<{ level: string; message: string; actions: string[] }> = [];
  readonly asked: string[] = [];
  /** What each pick offered, by title: "label (description)". */
  readonly offered: Record<string, string[]> = {};
  /** The value each input box came filled in with, by title. */
  readonly prefilled: Record<string, string | undefined> = {};
  /** The labels each pick and multi-select came with preselected, by title. */
  readonly preselected: Record<string, string[]> = {};
  /** What each refused input was told, in order. */
  readonly refusals: string[] = [];
  /** What the questions explained: each input box's prompt and each dialog's detail, in order. */
  readonly explanations: string[] = [];
  /** What the status bar confirmed. */
  readonly statusMessages: string[] = [];

  constructor(private readonly answers: Answer[]) {}

  get remaining(): number {
    return this.answers.filter((answer) => !('notify' in answer)).length;
  }

  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined> {
    return this.answerPick(items, options.title, false) as Promise<T | undefined>;
  }

  pickStep<T extends vscode.QuickPickItem>(items: readonly T[], options: StepOptions<PickOptions>): Promise<T | Back | undefined> {
    return this.answerPick(items, stepTitle(options.place), options.place.step > 1);
  }

  input(options: InputOptions): Promise<string | undefined> {
    return this.answerInput(options, options.title, false) as Promise<string | undefined>;
  }

  inputStep(options: StepOptions<InputOptions>): Promise<string | Back | undefined> {
    return this.answerInput(options, stepTitle(options.place), options.place.step > 1);
  }

  status(message: string): void {
    this.statusMessages.push(message);
  }

  /** `canGoBack`: the question has a Back button, which a `{ back: true }` answer presses. */
  private async answerPick<T extends vscode.QuickPickItem>(items: readonly T[], title: string, canGoBack: boolean): Promise<T | Back | undefined> {
    this.asked.push(`pick: ${title}`);
    this.offered[title] = items.map((item) => (item.description ? `${item.label} (${item.description})` : item.label));
    this.preselected[title] = items.filter((item) => item.picked).map((item) => item.label);
    const answer = this.next('pick', title, canGoBack);
    if ('back' in answer) {
      return BACK;
    }
    const { pick } = answer as { pick: string | undefined };
    if (pick === undefined) {
      return undefined;
    }
    const item = items.find((candidate) => candidate.label === pick || candidate.label.endsWith(pick));
    assert.ok(item, `"${title}" offers "${pick}" (offered: ${items.map((candidate) => candidate.label).join(', ')})`);
    return item;
  }

  async pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { title: string }): Promise<readonly T[] | undefined> {
    this.asked.push(`pickMany: ${options.title}`);
    this.offered[options.title] = items.map((item) => (item.description ? `${item.label} (${item.description})` : item.label));
    this.preselected[options.title] = items.filter((item) => item.picked).map((item) => item.label);
    const answer = this.next('pickMany', options.title) as { pickMany: string[] | undefined };
    return answer.pickMany?.map((label) => {
      const item = items.find((candidate) => candidate.label === label);
      assert.ok(item, `"${options.title}" offers "${label}" (offered: ${items.map((candidate) => candidate.label).join(', ')})`);
      return item;
    });
  }

  private async answerInput(options: vscode.InputBoxOptions, title: string, canGoBack: boolean): Promise<string | Back | undefined> {
    this.asked.push(`input: ${title}`);
    this.prefilled[title] = options.value;
    if (options.prompt) this.explanations.push(options.prompt);
    const answer = this.next('input', title, canGoBack);
    if ('back' in answer) {
      return BACK;
    }
    const { input, expectProblem } = answer as { input: string | undefined; expectProblem?: RegExp };
    if (input === undefined) {
      return undefined;
    }
    const problem = await options.validateInput?.(input);
    const message = typeof problem === 'string' ? problem : problem?.message;
    if (expectProblem) {
      assert.match(message ?? '(accepted)', expectProblem, `"${title}" refuses the answer`);
      this.refusals.push(message!);
      return this.answerInput(options, title, canGoBack);
    }
    assert.equal(message ?? undefined, undefined, `"${title}" accepts the answer`);
    return input;
  }

  async confirm(message: string, detail: string): Promise<boolean> {
    this.asked.push(`confirm: ${message}`);
    this.explanations.push(detail);
    return (this.next('confirm', message) as { confirm: boolean }).confirm;
  }

  async notify(level: 'info' | 'warning' | 'error', message: string, ...actions: string[]): Promise<string | undefined> {
    this.notifications.push({ level, message, actions });
    // Notifications only take an answer when the script has one next; otherwise they are dismissed.
    const next = this.answers[0];
    if (next && 'notify' in next) {
      this.answers.shift();
      return next.notify;
    }
    return undefined;
  }

  private next(kind: string, question: string, canGoBack = false): Answer {
    const answer = this.answers.shift();
    assert.ok(
      answer && (kind in answer || ('back' in answer && canGoBack)),
      `expected no ${kind} "${question}" here (next scripted answer: ${JSON.stringify(answer)})`,
    );
    return answer;
  }
}
