// TrainerState and TrainerControl: the run's progress (HF's trainer_state.json fields) and the flags callbacks set.

/** One entry of `logHistory`: the logged numbers with `step` and `epoch`. */
export type LogEntry = Record<string, number>;

/**
 * The state of a run, as HF's `TrainerState`; saved as `trainer_state.json` with HF's snake_case keys.
 * @example const s = TrainerState.fromJsonString(readFileSync("checkpoint-10/trainer_state.json", "utf8")); s.globalStep
 */
export class TrainerState {
  epoch = 0;
  globalStep = 0;
  maxSteps = 0;
  loggingSteps = 500;
  evalSteps = 500;
  saveSteps = 500;
  trainBatchSize = 0;
  numTrainEpochs = 0;
  totalFlos = 0;
  logHistory: LogEntry[] = [];
  bestMetric: number | null = null;
  bestModelCheckpoint: string | null = null;
  /** HF's name; the global step where the best metric was seen. */
  bestGlobalStep: number | null = null;
  isLocalProcessZero = true;
  isWorldProcessZero = true;
  isHyperParamSearch = false;
  /** Per-callback state HF keeps under `stateful_callbacks` (early stopping's patience counter). */
  statefulCallbacks: Record<string, Record<string, unknown>> = {};

  /** trainer_state.json's content. @example writeFileSync("trainer_state.json", state.toJsonString()) */
  toJsonString(): string {
    return (
      JSON.stringify(
        {
          best_global_step: this.bestGlobalStep,
          best_metric: this.bestMetric,
          best_model_checkpoint: this.bestModelCheckpoint,
          epoch: this.epoch,
          eval_steps: this.evalSteps,
          global_step: this.globalStep,
          is_hyper_param_search: this.isHyperParamSearch,
          is_local_process_zero: this.isLocalProcessZero,
          is_world_process_zero: this.isWorldProcessZero,
          log_history: this.logHistory,
          logging_steps: this.loggingSteps,
          max_steps: this.maxSteps,
          num_train_epochs: this.numTrainEpochs,
          save_steps: this.saveSteps,
          stateful_callbacks: this.statefulCallbacks,
          total_flos: this.totalFlos,
          train_batch_size: this.trainBatchSize,
          trial_name: null,
          trial_params: null,
        },
        null,
        2,
      ) + "\n"
    );
  }

  /** Reads trainer_state.json. @example TrainerState.fromJsonString(text).logHistory */
  static fromJsonString(text: string, source = "trainer_state.json"): TrainerState {
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new SyntaxError(`TrainerState: ${source} is not valid JSON (${(e as Error).message}); the checkpoint is damaged, resume from an earlier one.`);
    }
    if (typeof o?.global_step !== "number" || !Array.isArray(o.log_history))
      throw new TypeError(`TrainerState: ${source} lacks global_step or log_history; it is not a trainer_state.json.`);
    const s = new TrainerState();
    s.epoch = Number(o.epoch ?? 0);
    s.globalStep = o.global_step;
    s.maxSteps = Number(o.max_steps ?? 0);
    s.loggingSteps = Number(o.logging_steps ?? 500);
    s.evalSteps = Number(o.eval_steps ?? 500);
    s.saveSteps = Number(o.save_steps ?? 500);
    s.trainBatchSize = Number(o.train_batch_size ?? 0);
    s.numTrainEpochs = Number(o.num_train_epochs ?? 0);
    s.totalFlos = Number(o.total_flos ?? 0);
    s.logHistory = o.log_history as LogEntry[];
    s.bestMetric = (o.best_metric as number | null) ?? null;
    s.bestModelCheckpoint = (o.best_model_checkpoint as string | null) ?? null;
    s.bestGlobalStep = (o.best_global_step as number | null) ?? null;
    s.statefulCallbacks = (o.stateful_callbacks as Record<string, Record<string, unknown>>) ?? {};
    return s;
  }
}

/**
 * What callbacks ask the loop to do next, as HF's `TrainerControl`; the loop resets the flags once it has acted.
 * @example onStepEnd(args, state, control) { if (state.globalStep === 100) control.shouldTrainingStop = true; }
 */
export class TrainerControl {
  shouldTrainingStop = false;
  shouldEpochStop = false;
  shouldSave = false;
  shouldEvaluate = false;
  shouldLog = false;
}
