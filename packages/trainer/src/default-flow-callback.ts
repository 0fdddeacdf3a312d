// DefaultFlowCallback: turns the logging / evaluation / save strategies into TrainerControl flags (HF's DefaultFlowCallback).

import type { TrainerCallback } from "./trainer-callback.js";
import type { TrainingArguments } from "./training-args.js";
import type { TrainerControl, TrainerState } from "./trainer-state.js";

/**
 * Sets `shouldLog`, `shouldEvaluate`, `shouldSave` and `shouldTrainingStop` from the arguments' strategies at each
 * step end and epoch end, as HF's; the Trainer always installs it first.
 * @example new CallbackHandler([new DefaultFlowCallback(), ...userCallbacks])
 */
export class DefaultFlowCallback implements TrainerCallback {
  onStepEnd(args: TrainingArguments, state: TrainerState, control: TrainerControl): void {
    const step = state.globalStep;
    if (step === 1 && args.loggingFirstStep) control.shouldLog = true;
    if (args.loggingStrategy === "steps" && args.loggingSteps > 0 && step % args.loggingSteps === 0) control.shouldLog = true;
    if (args.evalStrategy === "steps" && step % (args.evalSteps as number) === 0) control.shouldEvaluate = true;
    if (args.saveStrategy === "steps" && args.saveSteps > 0 && step % args.saveSteps === 0) control.shouldSave = true;
    if (step >= state.maxSteps) {
      control.shouldTrainingStop = true;
      if (args.saveStrategy !== "no") control.shouldSave = true;
    }
  }

  onEpochEnd(args: TrainingArguments, _state: TrainerState, control: TrainerControl): void {
    if (args.loggingStrategy === "epoch") control.shouldLog = true;
    if (args.evalStrategy === "epoch") control.shouldEvaluate = true;
    if (args.saveStrategy === "epoch") control.shouldSave = true;
  }
}
