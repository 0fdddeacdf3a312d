// TrainerCallback: HF's callback events (onInitEnd … onTrainEnd) and the handler that calls them in order.

import type { TrainingArguments } from "./training-args.js";
import type { TrainerControl, TrainerState, LogEntry } from "./trainer-state.js";

/** What each event receives besides args, state and control (the model, the metrics, the logs). */
export interface CallbackExtras {
  model?: unknown;
  metrics?: Record<string, number>;
  logs?: LogEntry;
  /** The checkpoint folder just written (onSave). */
  checkpointDir?: string;
}

/** An event method: may set flags on `control` (and return nothing). */
export type CallbackEvent = (args: TrainingArguments, state: TrainerState, control: TrainerControl, extras: CallbackExtras) => void;

/**
 * A Trainer callback, as HF's `TrainerCallback`: implement the events you need.
 * @example
 * const stopAt50: TrainerCallback = { onStepEnd: (_a, s, c) => { if (s.globalStep >= 50) c.shouldTrainingStop = true; } };
 * new Trainer({ model, args, trainDataset, callbacks: [stopAt50] });
 */
export interface TrainerCallback {
  onInitEnd?: CallbackEvent;
  onTrainBegin?: CallbackEvent;
  onTrainEnd?: CallbackEvent;
  onEpochBegin?: CallbackEvent;
  onEpochEnd?: CallbackEvent;
  onStepBegin?: CallbackEvent;
  onSubstepEnd?: CallbackEvent;
  onPreOptimizerStep?: CallbackEvent;
  onOptimizerStep?: CallbackEvent;
  onStepEnd?: CallbackEvent;
  onEvaluate?: CallbackEvent;
  onPredict?: CallbackEvent;
  onSave?: CallbackEvent;
  onLog?: CallbackEvent;
  onPredictionStep?: CallbackEvent;
  /** State kept in trainer_state.json's `stateful_callbacks` under the callback's class name. */
  state?(): Record<string, unknown>;
  loadState?(s: Record<string, unknown>): void;
}

export type CallbackEventName = Exclude<keyof TrainerCallback, "state" | "loadState">;

/**
 * Calls each callback's event in order, as HF's `CallbackHandler`.
 * @example handler.call("onStepEnd", args, state, control, { model })
 */
export class CallbackHandler {
  constructor(readonly callbacks: TrainerCallback[]) {}

  /** Adds a callback (a class instance or a plain object). @example handler.add(new EarlyStoppingCallback()) */
  add(cb: TrainerCallback): void {
    this.callbacks.push(cb);
  }

  /** Removes a callback by identity. @example handler.remove(progress) */
  remove(cb: TrainerCallback): void {
    const i = this.callbacks.indexOf(cb);
    if (i >= 0) this.callbacks.splice(i, 1);
  }

  /** Runs `event` on every callback; returns `control` (callbacks set its flags). @example handler.call("onLog", a, s, c, { logs }) */
  call(event: CallbackEventName, args: TrainingArguments, state: TrainerState, control: TrainerControl, extras: CallbackExtras = {}): TrainerControl {
    for (const cb of this.callbacks) {
      const fn = cb[event];
      if (fn) fn.call(cb, args, state, control, extras);
    }
    return control;
  }
}

/** The key a callback's state is kept under in trainer_state.json. */
export const callbackKey = (cb: TrainerCallback): string => (cb.constructor && cb.constructor !== Object ? cb.constructor.name : "callback");
