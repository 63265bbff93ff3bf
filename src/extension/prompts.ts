import * as vscode from 'vscode';

/** Where a question stands in a flow of several (Add Key, Rotate Key, Add Custom Provider). */
export interface StepPlace {
  /** What the flow does: "Add Uppzy M2M API key". */
  readonly flow: string;
  /** What this step asks: "Environment". */
  readonly name: string;
  readonly step: number;
  readonly totalSteps: number;
}

/**
 * The one title of every step: "Add Uppzy M2M API key (3/6): Environment". VS Code would put its own
 * `step`/`totalSteps` after the whole title, behind the step's name, so the place is written here instead.
 */
export function stepTitle(place: StepPlace): string {
  return `${place.flow} (${place.step}/${place.totalSteps}): ${place.name}`;
}

/** The answer of a step whose Back button was pressed; a registered symbol, so the tests' copy of this module knows it too. */
export const BACK: unique symbol = Symbol.for('apiKeyGuard.back');
export type Back = typeof BACK;

export type PickOptions = vscode.QuickPickOptions & { title: string };
export type InputOptions = vscode.InputBoxOptions & { title: string };
export type StepOptions<Options> = Omit<Options, 'title'> & { place: StepPlace };

/**
 * The questions and notices the commands put to the user. Commands talk to this interface rather than to
 * `vscode.window` directly so the integration tests can answer for the user (see test/integration).
 */
export interface Prompts {
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<T | undefined>;
  /** A multi-select; the items marked `picked` start chosen. Undefined when the user dismissed it. */
  pickMany<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions): Promise<readonly T[] | undefined>;
  input(options: InputOptions): Promise<string | undefined>;
  /** A pick that is a step of a flow: titled by `stepTitle`, with a Back button from the second step on. */
  pickStep<T extends vscode.QuickPickItem>(items: readonly T[], options: StepOptions<PickOptions>): Promise<T | Back | undefined>;
  /** An input box that is a step of a flow, as `pickStep`. */
  inputStep(options: StepOptions<InputOptions>): Promise<string | Back | undefined>;
  /** A modal question; true when the user chose `action`. */
  confirm(message: string, detail: string, action: string): Promise<boolean>;
  notify(level: 'info' | 'warning' | 'error', message: string, ...actions: string[]): Promise<string | undefined>;
  /** A short confirmation in the status bar, for something the user just did and can see done. */
  status(message: string): void;
}

/** One step of a flow: asked with the answers so far; gives its answers, BACK, or undefined when cancelled. */
export interface FlowStep<State> {
  readonly name: string;
  readonly ask: (state: Readonly<State>, place: StepPlace) => Promise<Partial<State> | Back | undefined>;
}

/** A step whose answer is one field of the flow's answers. */
export function fieldStep<State, Field extends keyof State>(
  name: string,
  field: Field,
  ask: (state: Readonly<State>, place: StepPlace) => Promise<State[Field] | Back | undefined>,
): FlowStep<State> {
  return {
    name,
    ask: async (state, place) => {
      const answer = await ask(state, place);
      return answer === undefined || answer === BACK ? (answer as Back | undefined) : ({ [field]: answer } as unknown as Partial<State>);
    },
  };
}

/**
 * Asks the steps in order, listing them again after each answer (a provider's parameters are steps once it
 * is chosen). Back goes to the previous step with every answer kept, so going forward again finds what was
 * typed. The answers, or undefined when the user cancelled.
 */
export async function runSteps<State extends object>(
  flow: (state: Readonly<State>) => string,
  steps: (state: Readonly<State>) => readonly FlowStep<State>[],
  initial: State,
): Promise<State | undefined> {
  let state = initial;
  for (let index = 0; ;) {
    const current = steps(state);
    const step = current[index];
    if (!step) {
      return state;
    }
    const answer = await step.ask(state, { flow: flow(state), name: step.name, step: index + 1, totalSteps: current.length });
    if (answer === undefined) {
      return undefined;
    }
    if (answer === BACK) {
      index = Math.max(0, index - 1);
    } else {
      state = { ...state, ...answer };
      index += 1;
    }
  }
}

/** A quick input of a flow shown until it is answered, backed out of or hidden; `answer` settles it once. */
function showStep<T>(
  input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox,
  place: StepPlace,
  wire: (answer: (value: T | Back | undefined) => void) => void,
) {
  return new Promise<T | Back | undefined>((resolve) => {
    input.title = stepTitle(place);
    input.ignoreFocusOut = true;
    input.buttons = place.step > 1 ? [vscode.QuickInputButtons.Back] : [];
    let settled = false;
    const answer = (value: T | Back | undefined) => {
      if (!settled) {
        settled = true;
        resolve(value);
        input.dispose();
      }
    };
    input.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && answer(BACK));
    input.onDidHide(() => answer(undefined));
    wire(answer);
    input.show();
  });
}

export const windowPrompts: Prompts = {
  pick: async (items, options) => vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options }),
  pickMany: async (items, options) => vscode.window.showQuickPick(items, { ignoreFocusOut: true, ...options, canPickMany: true }),
  input: async (options) => vscode.window.showInputBox({ ignoreFocusOut: true, ...options }),
  pickStep: async <T extends vscode.QuickPickItem>(items: readonly T[], options: StepOptions<PickOptions>) => {
    const pick = vscode.window.createQuickPick<T>();
    pick.items = items;
    pick.placeholder = options.placeHolder;
    pick.matchOnDescription = options.matchOnDescription ?? false;
    pick.matchOnDetail = options.matchOnDetail ?? false;
    // A single-choice pick shows the preselected item as the active one (else VS Code activates the first).
    const preselected = items.filter((item) => item.picked);
    if (preselected.length > 0) pick.activeItems = preselected;
    return showStep<T>(pick, options.place, (answer) =>
      pick.onDidAccept(() => {
        // Enter on a list filtered to nothing chooses nothing: the pick stays open.
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (chosen) answer(chosen);
      }),
    );
  },
  inputStep: async (options) => {
    const box = vscode.window.createInputBox();
    box.value = options.value ?? '';
    box.prompt = options.prompt;
    box.placeholder = options.placeHolder;
    box.password = options.password ?? false;
    const validate = async (text: string) => {
      const problem = (await options.validateInput?.(text)) ?? undefined;
      box.validationMessage = problem;
      return typeof problem === 'string' || problem?.severity === vscode.InputBoxValidationSeverity.Error;
    };
    return showStep<string>(box, options.place, (answer) => {
      box.onDidChangeValue((text) => void validate(text));
      box.onDidAccept(async () => {
        const value = box.value;
        if (!(await validate(value))) answer(value);
      });
      if (box.value !== '') void validate(box.value);
    });
  },
  confirm: async (message, detail, action) => (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action,
  notify: async (level, message, ...actions) => {
    const show =
      level === 'error' ? vscode.window.showErrorMessage : level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    return show(message, ...actions);
  },
  status: (message) => void vscode.window.setStatusBarMessage(`$(check) ${message}`, 5000),
};
