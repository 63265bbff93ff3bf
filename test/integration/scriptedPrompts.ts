import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { Prompts } from '../../src/extension/prompts';

/** One expected question and the user's answer to it. */
export type Answer =
  | { pick: string | undefined }
  | { pickMany: string[] | undefined }
  | { input: string | undefined; expectProblem?: RegExp }
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
  /** What each multi-select came with already chosen, by title. */
  readonly preselected: Record<string, string[]> = {};
  /** The value each input box came filled in with, by title. */
  readonly prefilled: Record<string, string | undefined> = {};
  /** What the questions explained: each input box's prompt and each dialog's detail, in order. */
  readonly explanations: string[] = [];

  constructor(private readonly answers: Answer[]) {}

  get remaining(): number {
    return this.answers.filter((answer) => !('notify' in answer)).length;
  }

  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions & { title: string }): Promise<T | undefined> {
    this.asked.push(`pick: ${options.title}`);
    this.offered[options.title] = items.map((item) => (item.description ? `${item.label} (${item.description})` : item.label));
    const answer = this.next('pick', options.title) as { pick: string | undefined };
    if (answer.pick === undefined) {
      return undefined;
    }
    const item = items.find((candidate) => candidate.label === answer.pick || candidate.label.endsWith(answer.pick!));
    assert.ok(item, `"${options.title}" offers "${answer.pick}" (offered: ${items.map((candidate) => candidate.label).join(', ')})`);
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

  async input(options: vscode.InputBoxOptions & { title: string }): Promise<string | undefined> {
    this.asked.push(`input: ${options.title}`);
    this.prefilled[options.title] = options.value;
    if (options.prompt) this.explanations.push(options.prompt);
    const answer = this.next('input', options.title) as { input: string | undefined; expectProblem?: RegExp };
    if (answer.input === undefined) {
      return undefined;
    }
    const problem = await options.validateInput?.(answer.input);
    const message = typeof problem === 'string' ? problem : problem?.message;
    if (answer.expectProblem) {
      assert.match(message ?? '(accepted)', answer.expectProblem, `"${options.title}" refuses the answer`);
      return this.input(options);
    }
    assert.equal(message ?? undefined, undefined, `"${options.title}" accepts the answer`);
    return answer.input;
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

  private next(kind: string, question: string): Answer {
    const answer = this.answers.shift();
    assert.ok(answer && kind in answer, `expected no ${kind} "${question}" here (next scripted answer: ${JSON.stringify(answer)})`);
    return answer;
  }
}
